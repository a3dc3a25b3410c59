import { describe, expect, it } from 'vitest';
import { renamedMessage, renameView } from '../../src/views/renameView.ts';
import { checkLimits } from './checkLimits.ts';
import { aConnection, expectNothingRaw, HOSTILE } from './fixtures.ts';

describe('renameView', () => {
  it('asks for the new nickname, prefilled with the current one, within the nickname length', () => {
    const v = renameView({ connection: aConnection(), metadata: 'c0nn-1' });
    expect(v.callback_id).toBe('rename_connection');
    expect(v.title.text).toBe('Rename connection');
    expect(v.submit?.text).toBe('Rename');
    expect(v.blocks[0]).toMatchObject({
      type: 'input',
      block_id: 'new_nickname',
      element: { action_id: 'new_nickname', initial_value: 'acme-prod', max_length: 40 },
    });
    expect(checkLimits(v)).toEqual([]);
  });

  it.each(HOSTILE)('shows the hostile domain %j inertly', (domain) => {
    const v = renameView({ connection: aConnection({ domain }), metadata: 'm' });
    expect(checkLimits(v)).toEqual([]);
    expectNothingRaw(v);
  });

  it('tells what follows and which API path changes, with names encoded in paths', () => {
    const message = renamedMessage('acme old', 'acme-new');
    expect(message.text).toContain('/api/connections/acme-new');
    expect(message.next).toContain('/api/connections/acme%20old now answers 404');
  });
});
