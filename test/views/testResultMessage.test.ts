import { describe, expect, it } from 'vitest';
import {
  type TestCall,
  type TestResult,
  testResultMessage,
} from '../../src/views/testResultMessage.ts';
import { checkLimits, mrkdwnTexts } from './checkLimits.ts';
import { expectNothingRaw, HOSTILE, NOW } from './fixtures.ts';

type Ran = Extract<TestResult, { ok: true }>;

const userinfo: TestCall = {
  target: 'userinfo',
  path: '/oauth2/v1/userinfo',
  granted: true,
  result: { kind: 'ok' },
};

function call(target: string, result: TestCall['result'], granted = true): TestCall {
  return { target, path: `/api/v1/${target}?limit=1`, granted, result };
}

function ran(overrides: Partial<Ran> = {}) {
  return testResultMessage({
    ok: true,
    connectionId: 'c0nn-1',
    nickname: 'acme-prod',
    domain: 'acme.okta.com',
    login: 'ada@acme.example',
    calls: [userinfo, call('users', { kind: 'ok' })],
    notProbed: [],
    dropped: [],
    missingScopes: [],
    ...overrides,
  });
}

const shown = (m: ReturnType<typeof ran>) => mrkdwnTexts(m).join('\n');

describe('testResultMessage', () => {
  it('says how many calls worked and who the token acts for, one ✅ line per call', () => {
    const m = ran();
    expect(shown(m)).toContain(
      '*acme-prod* (`acme.okta.com`): 2 of 2 calls to Okta worked, acting as ada@acme.example.',
    );
    expect(shown(m)).toContain('✅ token (`/oauth2/v1/userinfo`): ok');
    expect(shown(m)).toContain('✅ users (`GET /api/v1/users?limit=1`): ok');
    expect(shown(m)).toContain('Every call Okta was asked answered as it should.');
    expect(m.text).toBe('Test of acme-prod: 2 of 2 calls worked.');
    expect(m.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(checkLimits(m)).toEqual([]);
  });

  it('names the missing scope of an Insufficient Scope answer and the fix, with a Reauthorize button', () => {
    const m = ran({
      calls: [
        userinfo,
        call('logs', { kind: 'insufficient_scope', scope: 'okta.logs.read' }, false),
      ],
      dropped: ['okta.logs.read'],
      missingScopes: ['okta.logs.read'],
    });
    const text = shown(m);
    expect(text).toContain(
      '⛔ logs (`GET /api/v1/logs?limit=1`): Insufficient Scope, Okta wants `okta.logs.read`, requested but not granted',
    );
    expect(text).toContain('Grant `okta.logs.read` on the app’s *Okta API Scopes* tab');
    expect(text).toContain('then reauthorize (`/okta-connect reauth acme-prod`)');
    expect(text).toContain('stays active for what it was granted');
    expect(m.text).toContain('missing okta.logs.read');
    expect(m.blocks.at(-1)).toMatchObject({
      type: 'actions',
      elements: [{ action_id: 'conn_reauth', value: 'c0nn-1' }],
    });
    expect(checkLimits(m)).toEqual([]);
  });

  it('tells a call forbidden by the admin role (E0000006) apart, and what to do', () => {
    const text = shown(
      ran({
        calls: [userinfo, call('users', { kind: 'forbidden_by_role', errorCode: 'E0000006' })],
      }),
    );
    expect(text).toContain(
      '⛔ users (`GET /api/v1/users?limit=1`): forbidden by the Okta account’s admin role (E0000006)',
    );
    expect(text).toContain('reauthorize with a super admin');
  });

  it('marks rate limiting and failures with ⚠️ and says to try again', () => {
    const text = shown(
      ran({
        calls: [
          userinfo,
          call('users', { kind: 'rate_limited', resetAt: NOW }),
          call('groups', { kind: 'failed', reason: 'Okta could not be reached' }),
          call('apps', { kind: 'not_found' }),
        ],
      }),
    );
    expect(text).toContain(
      '⚠️ users (`GET /api/v1/users?limit=1`): rate limited by Okta (429) until 14:05 UTC',
    );
    expect(text).toContain(
      '⚠️ groups (`GET /api/v1/groups?limit=1`): failed, Okta could not be reached',
    );
    expect(text).toContain('⚠️ apps (`GET /api/v1/apps?limit=1`): Okta answered 404');
    expect(text).toContain('test again in a few minutes');
  });

  it('lists the families it had no safe read for, and scopes Okta dropped that no call showed', () => {
    const text = shown(
      ran({ notProbed: ['sessions', 'workflows'], dropped: ['okta.users.manage'] }),
    );
    expect(text).toContain('Not tested (no read without an object id): sessions, workflows');
    expect(text).toContain('Okta did not grant `okta.users.manage`');
  });

  it('keeps a result for every scope family Okta knows within the message limits', () => {
    const calls = Array.from({ length: 60 }, (_, i) =>
      call(`family${i}`, { kind: 'failed', reason: 'z'.repeat(500) }),
    );
    const m = ran({ calls: [userinfo, ...calls] });
    expect(checkLimits(m)).toEqual([]);
    expect(mrkdwnTexts(m).join('').length).toBeLessThan(13_000);
    expect(shown(m)).toContain('family59');
  });

  it.each([
    [{ ok: false, code: 'not_found' }, 'This connection no longer exists'],
    [
      {
        ok: false,
        code: 'not_active',
        connectionId: 'c1',
        nickname: 'acme-prod',
        domain: 'acme.okta.com',
        status: 'needs_reauth',
        statusText: 'Okta refused the refresh token.',
      },
      'It needs reauthorization (Okta refused the refresh token.)',
    ],
    [
      {
        ok: false,
        code: 'not_active',
        connectionId: 'c1',
        nickname: 'acme-prod',
        domain: 'acme.okta.com',
        status: 'pending',
        statusText: null,
      },
      'Finish the sign-in from the link in your DM',
    ],
    [
      {
        ok: false,
        code: 'needs_reauth',
        connectionId: 'c1',
        nickname: 'acme-prod',
        domain: 'acme.okta.com',
        statusText: 'Okta refused the refresh token.',
      },
      'Its channel has been told',
    ],
    [
      {
        ok: false,
        code: 'token_unavailable',
        connectionId: 'c1',
        nickname: 'acme-prod',
        domain: 'acme.okta.com',
        reason: 'Okta could not be reached.',
      },
      'Okta could not be reached.',
    ],
  ] as const)('explains a test that could not run (%#)', (result, words) => {
    const m = testResultMessage(result as TestResult);
    expect(mrkdwnTexts(m).join('\n')).toContain(words);
    expect(checkLimits(m)).toEqual([]);
  });

  it.each(HOSTILE)('shows the hostile nickname %j inertly', (nickname) => {
    const m = ran({
      nickname,
      login: nickname,
      calls: [userinfo, call('users', { kind: 'failed', reason: nickname })],
      missingScopes: ['okta.logs.read'],
    });
    expect(checkLimits(m)).toEqual([]);
    expectNothingRaw(m);
  });
});
