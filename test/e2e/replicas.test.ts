import { afterEach, expect, it } from 'vitest';
import { describePostgres, emptyPostgresDatabase } from '../db/testDatabase.ts';
import { dmCount } from './connectionSteps.ts';
import { ADMIN, type Harness, startHarness } from './harness.ts';
import { toScopesStep } from './journey.ts';

/**
 * Two replicas of the bot on one PostgreSQL database, sharing the Slack and Okta stand-ins
 * as two processes behind a balancer would.
 */
describePostgres('two replicas on one PostgreSQL database', () => {
  const started: Harness[] = [];
  afterEach(async () => {
    // The replica that owns the stand-ins closes last.
    for (const h of started.splice(0).reverse()) await h.close();
  });

  async function replicas() {
    const databaseUrl = await emptyPostgresDatabase();
    const a = await startHarness({ databaseUrl });
    started.push(a);
    const b = await startHarness({ databaseUrl, peersOf: a });
    started.push(b);
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
});
