import { describe, expect, it } from 'vitest';
import { helpMessage } from '../../src/views/helpMessage.ts';
import { checkLimits, mrkdwnTexts } from './checkLimits.ts';

describe('helpMessage', () => {
  it('lists every command, one line each', () => {
    const m = helpMessage();
    const text = mrkdwnTexts(m).join('\n');
    for (const command of [
      '`/okta-connect`',
      '`/okta-connect new`',
      '`/okta-connect list`',
      '`/okta-connect test NAME`',
      '`/okta-connect reauth NAME`',
      '`/okta-connect scopes NAME`',
      '`/okta-connect delete NAME`',
      '`/okta-connect rotate-keypair NAME`',
      '`/okta-connect help`',
    ]) {
      expect(text).toContain(command);
    }
    expect(checkLimits(m)).toEqual([]);
  });
});
