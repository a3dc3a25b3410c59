import { expect, it } from 'vitest';
import { describePostgres } from '../db/testDatabase.ts';
import { dmCount } from './connectionSteps.ts';
import { ADMIN, CLIENT_ID, type Harness } from './harness.ts';
import { toScopesStep } from './journey.ts';
import { replicaSet } from './replicaSet.ts';
import { seedActiveConnections } from './seed.ts';

const homeText = (h: Harness) => JSON.stringify(h.slack.homeView(ADMIN)?.blocks ?? []);

/**
 * Two replicas of the bot on one PostgreSQL database, sharing the Slack and Okta stand-ins
 * as two processes behind a balancer would.
 */
describePostgres('two replicas on one PostgreSQL database', () => {
  const startReplicas = replicaSet();

  async function replicas() {
    const [a, b] = (await startReplicas(2)) as [Harness, Harness];
    return { a, b };
  }

  it('answers a final submission delivered again to the other replica as the first time: one connection, one DM', async () => {
    const { a, b } = await replicas();
    const view = await toScopesStep(a, a.admin, { nickname: 'acme-replicated' });
    const dmsBefore = dmCount(a, ADMIN);

    const first = await a.admin.submit({ scope_mode: 'default' }, { view });
    // Slack did not get the answer in time and delivers the same submission again; the
    // balancer sends it to the other replica.
    const again = await b.user(ADMIN).submit({ scope_mode: 'default' }, { view });

    expect(first.response.status).toBe(200);
    expect(again.response.status).toBe(200);
    expect(again.response.body).toEqual(first.response.body);
    expect(first.response.text).toContain('connect_done');
    const teamId = a.slack.identity.teamId;
    const listed = await b.bot.flows.connections.listByTeam(teamId);
    expect(listed.map((c) => c.nickname)).toEqual(['acme-replicated']);
    expect(dmCount(a, ADMIN)).toBe(dmsBefore + 1);
  });

  it('sees a connection made through one replica from the other at once', async () => {
    const { a, b } = await replicas();
    const view = await toScopesStep(a, a.admin, { nickname: 'acme-seen' });
    await a.admin.submit({ scope_mode: 'default' }, { view });
    const listedOnB = await b.user(ADMIN).command('list');
    expect(listedOnB.text).toContain('acme-seen');
  });

  it('republishes the Home tab from the replica whose sweep marked a connection needs_reauth, though it was opened through the other', async () => {
    const { a, b } = await replicas();
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
