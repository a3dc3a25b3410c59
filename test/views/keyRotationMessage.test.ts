import { describe, expect, it } from 'vitest';
import { generateClientKey } from '../../src/clientCredential.ts';
import {
  keyRotationCancelledMessage,
  keyRotationMessage,
  keyRotationResultMessage,
  parseRotationButtonValue,
  rotationButtonValue,
} from '../../src/views/keyRotationMessage.ts';
import { checkLimits, mrkdwnTexts } from './checkLimits.ts';

describe('key rotation messages', () => {
  const { publicJwk } = generateClientKey();
  const started = keyRotationMessage({
    connectionId: 'con_abc',
    nickname: 'acme-prod',
    domain: 'acme.okta.com',
    clientId: '0oaApp',
    pending: publicJwk,
    currentKeyId: 'old-kid',
  });

  it('shows the new public key, Okta’s steps and the two buttons, within Slack’s limits', () => {
    const text = mrkdwnTexts(started).join('\n');
    expect(text).toContain(`"kid":"${publicJwk.kid}"`);
    expect(text).toContain('*Add key*');
    expect(text).toContain('`old-kid`');
    expect(text).not.toContain('"d"');
    expect(JSON.stringify(started.blocks)).toContain(rotationButtonValue('con_abc', publicJwk.kid));
    expect(checkLimits(started)).toEqual([]);
  });

  it('reads back what the confirm button carries, and nothing malformed', () => {
    expect(parseRotationButtonValue(rotationButtonValue('con_abc', 'kid-1'))).toEqual({
      connectionId: 'con_abc',
      keyId: 'kid-1',
    });
    expect(parseRotationButtonValue('con_abc')).toBeNull();
    expect(parseRotationButtonValue('a b c')).toBeNull();
  });

  it('says what to do next for each outcome', () => {
    const says = (message: ReturnType<typeof keyRotationResultMessage>) =>
      mrkdwnTexts(message).join('\n');
    expect(
      says(
        keyRotationResultMessage(
          { ok: true, connection: {} as never, newKeyId: 'n', oldKeyId: 'o' },
          'acme',
        ),
      ),
    ).toMatch(/delete the old public key `o`/);
    expect(
      says(keyRotationResultMessage({ ok: false, code: 'key_not_in_okta' }, 'acme')),
    ).toContain('keeps using its current key');
    expect(
      says(keyRotationResultMessage({ ok: false, code: 'okta_unreachable' }, 'acme')),
    ).toContain('nothing changed');
    expect(says(keyRotationResultMessage({ ok: false, code: 'rotation_stale' }, 'acme'))).toContain(
      'rotate-keypair acme',
    );
    expect(says(keyRotationCancelledMessage('acme', true))).toContain('new private key was erased');
  });
});
