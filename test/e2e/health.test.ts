import { afterEach, describe, expect, it } from 'vitest';
import { raiseAlert } from '../../src/flows/alerts.ts';
import { runSweep } from '../../src/flows/healthSweep.ts';
import { ADMIN, type Harness, startHarness } from './harness.ts';
import { authorizeInBrowser, lastDm, linkIn } from './journey.ts';
import { offsetClock, seedActiveConnections } from './seed.ts';

const MINUTE = 60_000;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/**
 * The bot with a clock that waits by moving: its sleeps advance the bot's and Okta's
 * clocks together, so backoff and rate-limit windows pass without real waiting.
 */
async function start(options: Parameters<typeof startHarness>[0] = {}) {
  const clock = offsetClock();
  const sleeps: number[] = [];
  let harness: Harness | undefined;
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    clock.advance(ms);
    harness?.okta.clock.advance(ms);
  };
  harness = await startHarness({ ...options, now: clock, sleep });
  h = harness;
  const bot = harness.bot;
  return {
    h: harness,
    clock,
    sleeps,
    /** One sweep pass through the bot's own rate gate. */
    sweep: (owner = 'test-sweeper') =>
      runSweep(bot.flows, { owner, gate: bot.gate, sleep, random: () => 0.5 }),
  };
}

/** Moves the bot's and Okta's clocks together, as the wall clock would. */
function advance(harness: Harness, clock: ReturnType<typeof offsetClock>, ms: number) {
  clock.advance(ms);
  harness.okta.clock.advance(ms);
}

const refreshCalls = (harness: Harness) =>
  harness.okta.requests.filter((r) => r.path === '/oauth2/v1/token' && r.method === 'POST').length;

describe('the health sweep', () => {
  it('refreshes a connection whose access token expires within 10 minutes, and leaves fresh ones alone', async () => {
    const { h, clock, sweep } = await start();
    const [connection] = await seedActiveConnections(h, 1, { now: clock() });
    expect(await sweep()).toMatchObject({ refreshed: 0 });
    advance(h, clock, 51 * MINUTE);
    const report = await sweep();
    expect(report).toMatchObject({ refreshed: 1, failed: 0, needsReauth: 0 });
    const after = await h.bot.flows.connections.findById(
      h.slack.identity.teamId,
      connection?.id ?? '',
    );
    expect(after?.accessExpiresAt).toBeGreaterThan(clock() + 50 * MINUTE);
    expect(after?.status).toBe('active');
  });

  it('touches a connection not checked for a day even when its token is fresh', async () => {
    const { h, clock, sweep } = await start();
    await seedActiveConnections(h, 1, { now: clock() });
    advance(h, clock, 24 * 60 * MINUTE);
    // The stored expiry is now long past as well; what matters is that it is swept.
    expect(await sweep()).toMatchObject({ refreshed: 1 });
  });

  it('with rotation on, stores the rotated refresh token so the next refresh works', async () => {
    const { h, clock, sweep } = await start({
      refreshToken: { rotation: 'ROTATE', leewaySeconds: 0 },
    });
    const [connection] = await seedActiveConnections(h, 1, { now: clock() });
    const id = connection?.id ?? '';
    const before =
      (await (await h.bot.flows.connections.readSecrets(id, ['refreshToken']))?.refreshToken) ?? '';
    advance(h, clock, 55 * MINUTE);
    expect(await sweep()).toMatchObject({ refreshed: 1, rotated: 1 });
    const after =
      (await (await h.bot.flows.connections.readSecrets(id, ['refreshToken']))?.refreshToken) ?? '';
    expect(after).not.toBe(before);
    expect(h.okta.tokenStatus(before)).toBe('rotated');
    advance(h, clock, 55 * MINUTE);
    expect(await sweep()).toMatchObject({ refreshed: 1, needsReauth: 0 });
  });

  it('with rotation off, keeps the same refresh token', async () => {
    const { h, clock, sweep } = await start();
    const [connection] = await seedActiveConnections(h, 1, { now: clock() });
    const id = connection?.id ?? '';
    const before = await (await h.bot.flows.connections.readSecrets(id, ['refreshToken']))
      ?.refreshToken;
    advance(h, clock, 55 * MINUTE);
    expect(await sweep()).toMatchObject({ refreshed: 1, rotated: 0 });
    expect(
      await (await h.bot.flows.connections.readSecrets(id, ['refreshToken']))?.refreshToken,
    ).toBe(before);
  });

  it('retries 5xx, dropped connections and 429 without changing the status', async () => {
    const { h, clock, sleeps, sweep } = await start();
    const [connection] = await seedActiveConnections(h, 1, { now: clock() });
    advance(h, clock, 55 * MINUTE);
    h.okta.injectFault('/oauth2/v1/token', { kind: 'status', status: 503, times: 1 });
    h.okta.injectFault('/oauth2/v1/token', { kind: 'drop', times: 1 });
    const report = await sweep();
    expect(report).toMatchObject({ refreshed: 1, retries: 2, failed: 0 });
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0] ?? 0);
    expect(
      await (await h.bot.flows.connections.findById(h.slack.identity.teamId, connection?.id ?? ''))
        ?.status,
    ).toBe('active');
  });

  it('counts a failure that outlasts the retries, keeps the connection active and says since when', async () => {
    const { h, clock, sweep } = await start();
    const [connection] = await seedActiveConnections(h, 1, { now: clock() });
    advance(h, clock, 55 * MINUTE);
    h.okta.injectFault('/oauth2/v1/token', { kind: 'status', status: 500, times: 100 });
    expect(await sweep()).toMatchObject({ refreshed: 0, failed: 1, retries: 3 });
    const firstFailure = clock();
    advance(h, clock, 5 * MINUTE);
    expect(await sweep()).toMatchObject({ failed: 1 });
    const after = await h.bot.flows.connections.findById(
      h.slack.identity.teamId,
      connection?.id ?? '',
    );
    expect(after).toMatchObject({
      status: 'active',
      failureCount: 2,
      lastError: expect.stringMatching(/server error/),
    });
    expect(after?.failingSince).toBeLessThanOrEqual(firstFailure);
    expect(h.slack.messagesTo('CALERTS')).toHaveLength(0);
  });

  it('waits for the reset Okta announces after a 429', async () => {
    const { h, clock, sleeps, sweep } = await start();
    await seedActiveConnections(h, 1, { now: clock() });
    advance(h, clock, 55 * MINUTE);
    h.okta.setRateLimit('/oauth2/v1/token', { limit: 1, windowSeconds: 60 });
    await h.okta
      .issueTokens({ clientId: '0oa1e2eClient', userId: h.oktaUserId, scopes: ['openid'] })
      .catch(() => undefined);
    // Spend the window so the bot's first try is answered 429.
    await fetch(`${h.okta.origin}/oauth2/v1/token`, { method: 'POST' });
    const report = await sweep();
    expect(report).toMatchObject({ refreshed: 1, failed: 0 });
    expect(Math.max(...sleeps)).toBeGreaterThanOrEqual(1000);
  });

  it('stays within the org’s rate limit: no 429 while sweeping more connections than the window allows', async () => {
    const { h, clock, sweep } = await start();
    await seedActiveConnections(h, 30, { now: clock() });
    advance(h, clock, 55 * MINUTE);
    h.okta.setRateLimit('/oauth2/v1/token', { limit: 20, windowSeconds: 60 });
    const report = await sweep();
    expect(report).toMatchObject({ refreshed: 30, failed: 0 });
    expect(h.okta.rateLimitedCount).toBe(0);
  });

  it('two sweepers racing on one database refresh each connection once', async () => {
    const { h, clock, sweep } = await start({
      refreshToken: { rotation: 'ROTATE', leewaySeconds: 0 },
    });
    await seedActiveConnections(h, 5, { now: clock() });
    advance(h, clock, 55 * MINUTE);
    const calls = refreshCalls(h);
    const [a, b] = await Promise.all([sweep('one'), sweep('two')]);
    expect((a?.refreshed ?? 0) + (b?.refreshed ?? 0)).toBe(5);
    expect(refreshCalls(h) - calls).toBe(5);
    expect((a?.needsReauth ?? 0) + (b?.needsReauth ?? 0)).toBe(0);
  });
});

describe('reauthorization alerts', () => {
  it('marks needs_reauth on invalid_grant and posts exactly one alert with a Reauthorize button', async () => {
    const { h, clock } = await start();
    const [connection] = await seedActiveConnections(h, 1, { now: clock() });
    h.okta.revokeTokens({ clientId: '0oa1e2eClient' });
    advance(h, clock, 55 * MINUTE);
    const report = await h.bot.health.runNow();
    expect(report).toMatchObject({ needsReauth: 1 });
    const after = await h.bot.flows.connections.findById(
      h.slack.identity.teamId,
      connection?.id ?? '',
    );
    expect(after).toMatchObject({ status: 'needs_reauth', statusCode: 'invalid_grant' });
    const alerts = h.slack.messagesTo('CALERTS');
    expect(alerts).toHaveLength(1);
    expect(JSON.stringify(alerts[0]?.blocks)).toContain('conn_reauth');
    expect(JSON.stringify(alerts[0]?.blocks)).toContain('seed-0');
    await h.bot.health.runNow();
    expect(h.slack.messagesTo('CALERTS')).toHaveLength(1);
  });

  it('edits the same message when the incident changes instead of posting again', async () => {
    const { h, clock } = await start();
    await seedActiveConnections(h, 1, { now: clock() });
    h.okta.revokeTokens({ clientId: '0oa1e2eClient' });
    advance(h, clock, 55 * MINUTE);
    await h.bot.health.runNow();
    const broken = await h.bot.flows.connections.findByNickname(h.slack.identity.teamId, 'seed-0');
    if (!broken) throw new Error('missing');
    await raiseAlert(h.bot.flows, h.bot.alerts, broken, {
      kind: 'needs_reauth',
      code: 'invalid_client',
      text: 'Okta refused the client credentials.',
      since: clock(),
    });
    const alerts = h.slack.messagesTo('CALERTS');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.edits).toBe(1);
    expect(JSON.stringify(alerts[0]?.blocks)).toContain('invalid_client');
  });

  it('resolves the alert with a thread reply naming who reauthorized', async () => {
    const { h, clock } = await start();
    await seedActiveConnections(h, 1, { now: clock() });
    h.okta.revokeTokens({ clientId: '0oa1e2eClient' });
    advance(h, clock, 55 * MINUTE);
    await h.bot.health.runNow();
    await h.admin.command('reauth seed-0');
    await h.slack.waitForCalls('views.open');
    await h.admin.submit({});
    const link = linkIn(await lastDm(h, ADMIN, 1));
    const { callback } = await authorizeInBrowser(h, link);
    expect(callback.status).toBe(200);
    const after = await h.bot.flows.connections.findByNickname(h.slack.identity.teamId, 'seed-0');
    expect(after?.status).toBe('active');
    for (let i = 0; i < 100 && h.slack.messagesTo('CALERTS').length < 2; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const [alert, reply] = h.slack.messagesTo('CALERTS');
    expect(JSON.stringify(alert?.blocks)).toMatch(/working again/);
    expect(reply?.threadTs).toBe(alert?.ts);
    expect(reply?.text).toContain(ADMIN);
  });

  it('sends the alert to the creator by DM when the channel is gone, and logs it', async () => {
    const { h, clock } = await start();
    await seedActiveConnections(h, 1, { now: clock(), notifyChannel: 'CGONE404' });
    h.okta.revokeTokens({ clientId: '0oa1e2eClient' });
    advance(h, clock, 55 * MINUTE);
    await h.bot.health.runNow();
    const dm = await lastDm(h, 'UADMIN1', 1);
    expect(dm.text).toMatch(/needs reauthorization/);
    expect(h.logs.some((line) => line.includes('alert channel unavailable'))).toBe(true);
  });
});
