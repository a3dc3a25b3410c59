import { afterEach, expect, it } from 'vitest';
import { describePostgres, emptyPostgresDatabase } from '../db/testDatabase.ts';
import { ADMIN, CLIENT_ID, type Harness, startHarness } from './harness.ts';
import { seedActiveConnections } from './seed.ts';

const homeText = (h: Harness) => JSON.stringify(h.slack.homeView(ADMIN)?.blocks ?? []);

/**
 * Two replicas of the bot on one PostgreSQL database, sharing the Slack and Okta stand-ins
 * as two processes behind a balancer would.
 */
describePostgres('the Home tab with two replicas on one PostgreSQL database', () => {
  const started: Harness[] = [];
  afterEach(async () => {
    for (const h of started.splice(0).reverse()) await h.close();
  });

  it('is republished by the replica whose sweep marked a connection needs_reauth, though it was opened through the other', async () => {
    const databaseUrl = await emptyPostgresDatabase();
    const a = await startHarness({ databaseUrl });
    started.push(a);
    const b = await startHarness({ databaseUrl, peersOf: a });
    started.push(b);
    // Due for a refresh now, so that B's sweep asks Okta.
    await seedActiveConnections(a, 1, { accessExpiresAt: Date.now() + 60_000 });

    const opened = a.slack.callCount('views.publish');
    expect((await a.admin.openHome()).status).toBe(200);
    await a.slack.waitForCalls('views.publish', opened + 1);
    expect(homeText(a)).toContain('seed-0');
    expect(homeText(a)).not.toContain('Needs reauthorization');

    a.okta.revokeTokens({ clientId: CLIENT_ID });
    const published = a.slack.callCount('views.publish');
    // Only B handles the change: A is told nothing.
    expect(await b.bot.health.runNow()).toMatchObject({ needsReauth: 1 });
    await a.slack.waitForCalls('views.publish', published + 1, 10_000);

    expect(homeText(a)).toContain('Needs reauthorization');
  });
});
