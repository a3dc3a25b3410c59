import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../e2e/harness.ts';
import { seedActiveConnections } from '../e2e/seed.ts';
import { waitUntil } from '../waitUntil.ts';

/** `bot.stop()`, which SIGTERM calls: the sweep step under way finishes before the database closes. */

const TOKEN = '/oauth2/v1/token';
let h: Harness | undefined;
afterEach(async () => {
  h?.okta.clearFaults();
  await h?.close();
  h = undefined;
});

describe('stopping the bot during a sweep', () => {
  it('lets the refresh under way finish and store its tokens, and schedules no more', async () => {
    h = await startHarness();
    const okta = h.okta;
    const [connection] = await seedActiveConnections(h, 1, { now: Date.now() - 2 * 60 * 60_000 });
    const before = await h.bot.flows.connections.findById(
      h.slack.identity.teamId,
      connection?.id ?? '',
    );

    okta.injectFault(TOKEN, { kind: 'delay', ms: 60_000 });
    const sweeping = h.bot.health.runNow();
    await waitUntil(
      () => okta.requests.some((r) => r.path === TOKEN && r.status === 0),
      'the refresh to reach Okta',
      { timeoutMs: 5000, intervalMs: 10 },
    );
    let stopped = false;
    const stopping = h.bot.stop(10_000).then(() => {
      stopped = true;
    });
    expect(h.bot.health.running()).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);

    okta.clearFaults(TOKEN);
    await stopping;
    expect(await sweeping).toMatchObject({ refreshed: 1 });
    const after = await h.bot.flows.connections.findById(
      h.slack.identity.teamId,
      connection?.id ?? '',
    );
    expect(after?.status).toBe('active');
    expect(after?.accessExpiresAt).toBeGreaterThan(before?.accessExpiresAt ?? 0);
  });
});
