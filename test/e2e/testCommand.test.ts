import { describe, expect, it } from 'vitest';
import type { SlackUser, StoredMessage } from '../peers/slack/index.ts';
import {
  connectActive,
  connectionNamed,
  dmAbout,
  dmCount,
  openModalWith,
  textOf,
} from './connectionSteps.ts';
import { CLIENT_ID, type Harness } from './harness.ts';
import { authorizeInBrowser, linkIn } from './journey.ts';
import { messageIn, sharedHarness, withHarness } from './slackChecks.ts';

type Posted = { text?: string; blocks?: unknown[]; response_type?: string };

/** `/okta-connect test NAME`: the immediate answer, and the result posted after it. */
async function runTest(h: Harness, nickname: string, user: SlackUser = h.admin) {
  const before = h.slack.responseUrlPosts().length;
  const ack = messageIn(await user.command(`test ${nickname}`));
  const post = await h.slack.waitForResponseUrlPosts(before + 1, 15_000);
  return { ack, result: post?.body as Posted };
}

/** The result's line about one call (`userinfo`, `users`, `logs`, …). */
function lineAbout(result: Posted, target: string): string {
  const lines = textOf(result)
    .split(/\\n|\n/)
    .filter((line) => line.includes(target === 'userinfo' ? '/oauth2/v1/userinfo' : `${target} (`));
  if (lines.length !== 1) throw new Error(`expected one line about ${target} in ${textOf(result)}`);
  return lines[0] as string;
}

async function alertsIn(h: Harness, count: number): Promise<StoredMessage[]> {
  for (let i = 0; i < 300 && h.slack.messagesTo('CALERTS').length < count; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return h.slack.messagesTo('CALERTS');
}

describe('/okta-connect test NAME', () => {
  const harness = sharedHarness();

  it('answers at once, then reports userinfo and one read per granted family as ok', async () => {
    const h = harness();
    await connectActive(h, {
      nickname: 'all-good',
      scopeMode: 'custom',
      pick: ['okta.users.read', 'okta.groups.read', 'okta.roles.read'],
    });

    const { ack, result } = await runTest(h, 'ALL-GOOD');

    expect(textOf(ack)).toContain('Testing all-good');
    expect(result.response_type).toBe('ephemeral');
    expect(textOf(result)).toContain('4 of 4 calls to Okta worked, acting as ada@acme.example');
    expect(lineAbout(result, 'userinfo')).toContain('✅');
    expect(lineAbout(result, 'users')).toContain('✅');
    expect(lineAbout(result, 'users')).toContain('GET /api/v1/users?limit=1');
    expect(lineAbout(result, 'groups')).toContain('✅');
    expect(lineAbout(result, 'roles')).toContain('✅');
    expect(textOf(result)).not.toContain('⛔');
    const after = await connectionNamed(h, 'all-good');
    expect(after).toMatchObject({ status: 'active', attention: null });
    expect(h.slack.messagesTo('CALERTS')).toHaveLength(0);
    expect(
      await (await h.bot.flows.audit.list(h.slack.identity.teamId, { connectionId: after.id }))[0],
    ).toMatchObject({ action: 'connection.tested', details: { calls: 4, ok: 4 } });
  });

  it('says which connection names it does not know', async () => {
    const h = harness();
    const posts = h.slack.responseUrlPosts().length;

    const answer = messageIn(await h.admin.command('test nobody-here'));

    expect(textOf(answer)).toContain('No such connection');
    expect(h.slack.responseUrlPosts()).toHaveLength(posts);
  });

  it('does not test a connection that needs reauthorization, and says what to do', async () => {
    const h = harness();
    const connection = await connectActive(h, { nickname: 'stale-one' });
    await h.bot.flows.connections.markNeedsReauth(
      connection.id,
      'invalid_grant',
      'Okta refused it.',
    );
    const userinfoCalls = h.okta.countRequests('/oauth2/v1/userinfo');

    const { result } = await runTest(h, 'stale-one');

    expect(textOf(result)).toContain('stale-one cannot be tested now');
    expect(textOf(result)).toContain('/okta-connect reauth stale-one');
    expect(h.okta.countRequests('/oauth2/v1/userinfo')).toBe(userinfoCalls);
  });

  it('refuses someone who may not manage connections, before calling Okta', async () => {
    const h = harness();
    await connectActive(h, { nickname: 'guarded' });
    const userinfoCalls = h.okta.countRequests('/oauth2/v1/userinfo');

    const answer = messageIn(await h.user('UPLAIN').command('test guarded'));

    expect(textOf(answer)).toContain('Only Okta connection admins can do this');
    expect(h.okta.countRequests('/oauth2/v1/userinfo')).toBe(userinfoCalls);
  });

  it('runs from the Test button of the list, answering in the conversation', async () => {
    const h = harness();
    const connection = await connectActive(h, {
      nickname: 'from-list',
      scopeMode: 'custom',
      pick: ['okta.users.read'],
    });
    const list = messageIn(await h.admin.command('list'));
    const before = h.slack.responseUrlPosts().length;

    await h.admin.clickInMessage(list, `conn_actions:${connection.id}`, 'conn_test');
    const post = await h.slack.waitForResponseUrlPosts(before + 1, 15_000);

    const result = post?.body as Posted & { replace_original?: boolean };
    expect(result.replace_original).toBe(false);
    expect(textOf(result)).toContain('2 of 2 calls to Okta worked');
  });

  it('reports Okta rate limiting and server errors per call, without marking the connection', async () => {
    const h = harness();
    await connectActive(h, {
      nickname: 'busy-org',
      scopeMode: 'custom',
      pick: ['okta.users.read', 'okta.groups.read'],
    });
    h.okta.injectFault('/api/v1/users', { kind: 'status', status: 429, times: 1 });
    h.okta.injectFault('/api/v1/groups', { kind: 'status', status: 503, times: 1 });

    const { result } = await runTest(h, 'busy-org');

    expect(lineAbout(result, 'users')).toMatch(/⚠️.*rate limited by Okta \(429\)/);
    expect(lineAbout(result, 'groups')).toMatch(/⚠️.*server error \(HTTP 503\)/);
    expect(textOf(result)).toContain('test again in a few minutes');
    expect(await connectionNamed(h, 'busy-org')).toMatchObject({
      status: 'active',
      attention: null,
    });
  });
});

describe('/okta-connect test NAME against an Okta app missing a scope', () => {
  it('reports Insufficient Scope with the scope named, marks the connection, alerts once, and a reauthorization with the scope granted resolves it', async () => {
    await withHarness({ grantedScopes: ['okta.users.read', 'okta.roles.read'] }, async (h) => {
      // okta.logs.read is requested, but not on the app's Okta API Scopes tab: Okta
      // drops it from the token, and /api/v1/logs answers 403 Insufficient Scope.
      await connectActive(h, {
        nickname: 'no-logs',
        scopeMode: 'custom',
        pick: ['okta.users.read', 'okta.logs.read'],
      });
      expect((await connectionNamed(h, 'no-logs')).grantedScopes).not.toContain('okta.logs.read');

      const { result } = await runTest(h, 'no-logs');

      const logs = lineAbout(result, 'logs');
      expect(logs).toContain('⛔');
      expect(logs).toContain('Insufficient Scope, Okta wants `okta.logs.read`');
      expect(logs).toContain('requested but not granted');
      expect(lineAbout(result, 'users')).toContain('✅');
      expect(textOf(result)).toContain('*Okta API Scopes* tab');
      expect(textOf(result)).toContain('/okta-connect reauth no-logs');
      const marked = await connectionNamed(h, 'no-logs');
      expect(marked.status).toBe('active');
      expect(marked.attention).toMatchObject({
        code: 'insufficient_scope',
        scope: 'okta.logs.read',
      });
      const [alert] = await alertsIn(h, 1);
      expect(alert?.text).toContain('no-logs is missing a scope: okta.logs.read');
      expect(textOf(alert ?? {})).toContain('conn_reauth');

      // The same finding again: no second message.
      await runTest(h, 'no-logs');
      expect(h.slack.messagesTo('CALERTS')).toHaveLength(1);

      h.okta.updateApp(CLIENT_ID, {
        grantedScopes: ['okta.users.read', 'okta.roles.read', 'okta.logs.read'],
      });
      await openModalWith(h, h.admin, 'reauth no-logs');
      const beforeLink = dmCount(h);
      await h.admin.submit({});
      const link = linkIn(await dmAbout(h, beforeLink, 'Reauthorize no-logs'));
      const { callback } = await authorizeInBrowser(h, link, { secret: '' });
      expect(callback.status).toBe(200);

      const fixed = await connectionNamed(h, 'no-logs');
      expect(fixed.attention).toBeNull();
      expect(fixed.grantedScopes).toContain('okta.logs.read');
      const [resolved, reply] = await alertsIn(h, 2);
      expect(textOf(resolved ?? {})).toContain('working again');
      expect(reply?.threadTs).toBe(resolved?.ts);
      const { result: again } = await runTest(h, 'no-logs');
      expect(lineAbout(again, 'logs')).toContain('✅');
    });
  });

  it('keeps the mark and the alert open when a reauthorization still does not bring the missing scope', async () => {
    await withHarness({ grantedScopes: ['okta.users.read', 'okta.roles.read'] }, async (h) => {
      await connectActive(h, {
        nickname: 'still-no-logs',
        scopeMode: 'custom',
        pick: ['okta.users.read', 'okta.logs.read'],
      });
      await runTest(h, 'still-no-logs');
      await alertsIn(h, 1);

      await openModalWith(h, h.admin, 'reauth still-no-logs');
      const beforeLink = dmCount(h);
      await h.admin.submit({});
      const link = linkIn(await dmAbout(h, beforeLink, 'Reauthorize still-no-logs'));
      const { callback } = await authorizeInBrowser(h, link, { secret: '' });
      expect(callback.status).toBe(200);

      const after = await connectionNamed(h, 'still-no-logs');
      expect(after.status).toBe('active');
      expect(after.attention).toMatchObject({
        code: 'insufficient_scope',
        scope: 'okta.logs.read',
      });
      for (let i = 0; i < 100 && (h.slack.messagesTo('CALERTS')[0]?.edits ?? 0) < 1; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const alerts = h.slack.messagesTo('CALERTS');
      expect(alerts).toHaveLength(1);
      expect(alerts[0]?.edits).toBeGreaterThanOrEqual(1);
      expect(textOf(alerts[0] ?? {})).not.toContain('working again');
    });
  });

  it('tells a call forbidden by the Okta account’s admin role (E0000006) from a missing scope', async () => {
    await withHarness({}, async (h) => {
      await connectActive(h, {
        nickname: 'no-role',
        scopeMode: 'custom',
        pick: ['okta.users.read', 'okta.logs.read'],
      });
      h.okta.updateUser(h.oktaUserId, { roles: [] });

      const { result } = await runTest(h, 'no-role');

      expect(lineAbout(result, 'userinfo')).toContain('✅');
      expect(lineAbout(result, 'users')).toContain(
        '⛔ users (`GET /api/v1/users?limit=1`): forbidden by the Okta account’s admin role (E0000006)',
      );
      expect(lineAbout(result, 'logs')).toContain('E0000006');
      expect(textOf(result)).toContain('reauthorize with a super admin');
      expect((await connectionNamed(h, 'no-role')).attention).toBeNull();
      expect(h.slack.messagesTo('CALERTS')).toHaveLength(0);
    });
  });

  it('finds a grant revoked at Okta: the connection needs reauthorization and its channel hears it', async () => {
    await withHarness({}, async (h) => {
      await connectActive(h, { nickname: 'revoked' });
      h.okta.revokeTokens({ clientId: CLIENT_ID });

      const { result } = await runTest(h, 'revoked');

      expect(textOf(result)).toContain('revoked needs reauthorization');
      expect(await connectionNamed(h, 'revoked')).toMatchObject({
        status: 'needs_reauth',
        statusCode: 'invalid_grant',
      });
      const [alert] = await alertsIn(h, 1);
      expect(alert?.text).toContain('revoked needs reauthorization');
    });
  });
});
