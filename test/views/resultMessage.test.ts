import { describe, expect, it } from 'vitest';
import { failureMessage, warningMessage } from '../../src/views/messages.ts';
import { resultMessage } from '../../src/views/resultMessage.ts';
import { checkLimits, mrkdwnTexts } from './checkLimits.ts';
import { expectNothingRaw, HOSTILE, shownText } from './fixtures.ts';

type Success = Extract<Parameters<typeof resultMessage>[0], { ok: true }>;

function success(overrides: Partial<Success> = {}) {
  return resultMessage({
    ok: true,
    nickname: 'acme-prod',
    domain: 'acme.okta.com',
    purpose: 'create',
    granted: ['openid', 'offline_access', 'okta.users.read'],
    dropped: [],
    warnings: [],
    authorizedLogin: 'admin@acme.example',
    ...overrides,
  });
}

describe('resultMessage after a successful authorization', () => {
  it('says the connection is connected, with the granted scopes', () => {
    const m = success();
    expect(m.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: '✅ acme-prod is connected' },
    });
    const text = mrkdwnTexts(m).join('\n');
    expect(text).toContain('`okta.users.read`');
    expect(text).toContain('admin@acme.example');
    expect(m.text).toContain('acme-prod is connected to acme.okta.com');
    expect(checkLimits(m)).toEqual([]);
  });

  it('says reauthorized after a reauthorization', () => {
    expect(success({ purpose: 'reauthorize' }).blocks[0]).toMatchObject({
      text: { text: '✅ acme-prod is reauthorized' },
    });
  });

  it('names the dropped scopes with the fix, once', () => {
    const m = success({ dropped: ['okta.logs.read', 'okta.roles.read'], warnings: [] });
    const text = mrkdwnTexts(m).join('\n');
    const fix = warningMessage('scopes_dropped');
    expect(text).toContain('okta.logs.read, okta.roles.read');
    expect(text).toContain(fix.next);
    expect(text.split(fix.title)).toHaveLength(2);
  });

  it('shows every other warning with what to do', () => {
    const m = success({
      warnings: [{ code: 'not_super_admin' }, { code: 'no_refresh_token' }],
    });
    const text = mrkdwnTexts(m).join('\n');
    for (const code of ['not_super_admin', 'no_refresh_token'] as const) {
      const w = warningMessage(code);
      expect(text).toContain(w.title);
      expect(text).toContain(w.next);
    }
    expect(m.text).toContain('2 warnings');
    expect(checkLimits(m)).toEqual([]);
  });

  it('stays within limits with hundreds of scopes', () => {
    const many = Array.from({ length: 300 }, (_, i) => `okta.resource${i}.read`);
    const m = success({ granted: many, dropped: many });
    expect(checkLimits(m)).toEqual([]);
  });

  it.each(HOSTILE)('shows the hostile nickname and login %j inertly', (value) => {
    const m = success({ nickname: value, authorizedLogin: value });
    expect(checkLimits(m)).toEqual([]);
    expectNothingRaw(m);
  });
});

describe('resultMessage after a failed authorization', () => {
  it('shows what happened and what to do', () => {
    const m = resultMessage({
      ok: false,
      nickname: 'acme-prod',
      domain: 'acme.okta.com',
      code: 'user_not_assigned',
    });
    const expected = failureMessage('user_not_assigned', { domain: 'acme.okta.com' });
    expect(m.blocks[0]).toMatchObject({ type: 'header', text: { text: `❌ ${expected.title}` } });
    const text = mrkdwnTexts(m).join('\n');
    expect(text).toContain(expected.text);
    expect(text).toContain(expected.next);
    expect(checkLimits(m)).toEqual([]);
  });

  it('offers a retry button only with a new link', () => {
    const url = 'https://okta-connect.example.com/connect/tok_new';
    const withRetry = resultMessage({ ok: false, code: 'invalid_client', retryUrl: url });
    expect(withRetry.blocks.at(-1)).toMatchObject({
      type: 'actions',
      elements: [{ type: 'button', action_id: 'open_setup_link', url }],
    });
    const without = resultMessage({ ok: false, code: 'invalid_client' });
    expect(without.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('escapes what Okta said', () => {
    const m = resultMessage({
      ok: false,
      code: 'okta_error',
      facts: { description: '<!channel> <https://evil.example|log in here>' },
    });
    expect(shownText(m)).toContain('&lt;https://evil.example|log in here&gt;');
    expectNothingRaw(m);
  });

  it.each(HOSTILE)('shows the hostile nickname %j inertly', (nickname) => {
    const m = resultMessage({ ok: false, nickname, domain: nickname, code: 'invalid_scope' });
    expect(checkLimits(m)).toEqual([]);
    expectNothingRaw(m);
  });
});
