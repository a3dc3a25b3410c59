import { describe, expect, it } from 'vitest';
import { deleteConfirmView } from '../../src/views/deleteConfirm.ts';
import { checkLimits, mrkdwnTexts } from './checkLimits.ts';
import { aConnection, expectNothingRaw, HOSTILE } from './fixtures.ts';

describe('deleteConfirmView', () => {
  it('says what deleting does, with Delete and Keep it', () => {
    const v = deleteConfirmView({ connection: aConnection(), metadata: 'c0nn-1' });
    expect(v.callback_id).toBe('delete_confirm');
    expect(v.title.text).toBe('Delete connection');
    expect(v.submit?.text).toBe('Delete');
    expect(v.close?.text).toBe('Keep it');
    expect(v.private_metadata).toBe('c0nn-1');
    expect(mrkdwnTexts(v).join('\n')).toContain(
      'Deleting *acme-prod* (`acme.okta.com`) revokes its tokens at Okta first, then erases the stored secret and tokens. Workflows using it stop working.',
    );
    expect(checkLimits(v)).toEqual([]);
  });

  it.each(HOSTILE)('shows the hostile nickname %j inertly', (nickname) => {
    const v = deleteConfirmView({ connection: aConnection({ nickname }), metadata: 'm' });
    expect(checkLimits(v)).toEqual([]);
    expectNothingRaw(v);
  });
});
