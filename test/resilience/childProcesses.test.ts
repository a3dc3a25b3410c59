import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/crypto.ts';
import type { SweepReport } from '../../src/flows/healthSweep.ts';
import { decodeWizard, encodeWizard } from '../../src/handlers/wizardState.ts';
import { freePort } from '../e2e/harness.ts';
import { authorizeInBrowser, linkIn, toScopesStep } from '../e2e/journey.ts';
import { seedActive } from '../e2e/seed.ts';
import { signedRequest, slashCommand, viewSubmission } from '../peers/slack/index.ts';
import { waitUntil } from '../waitUntil.ts';
import {
  ADMIN,
  ADMIN2,
  ALERTS,
  actionOf,
  type BotProcess,
  FORM,
  finalSubmission,
  HEALTH_INTERVAL_SECONDS,
  MORE_ADMINS,
  oneAtATime,
  openStore,
  RETRY,
  SIGNING_SECRET,
  type Store,
  startBot,
  startWorld,
  sweepReports,
  type World,
  withWorld,
} from './botProcess.ts';

/**
 * Issue 5 §2 (crashes and restarts) and §3 (races and retries) with the bot as operators
 * run it: `tsx src/main.ts` in child processes, killed with SIGKILL, sharing one SQLite
 * file, between the Okta peer and the Slack stand-in over HTTP.
 *
 * The §3 sweep race waits for the bots' 10-second sweep interval; the other tests run
 * meanwhile (one at a time within each section), so the file takes about as long as
 * that race.
 */

const TOKEN_PATH = '/oauth2/v1/token';
/** Tests of a section wait for each other; this is their own budget plus the wait. */
const QUEUED_TIMEOUT = 90_000;

function withStore<T>(world: World, work: (store: Store) => Promise<T>): Promise<T> {
  const store = openStore(world);
  return work(store).finally(() => store.close());
}

describe.concurrent('the bot as child processes', { timeout: QUEUED_TIMEOUT }, () => {
  describe('§2 a bot killed with SIGKILL and started again on the same database', () => {
    const queued = oneAtATime();

    it('after the setup-link DM and before the callback: the same link and the callback complete the connection', () =>
      queued(async () => {
        const port = await freePort();
        await withWorld({ redirectPorts: [port] }, async (world) => {
          const first = await startBot(world, { port });
          const admin = world.user(ADMIN, first);
          await toScopesStep(world, admin, { nickname: 'acme-prod' });
          const scopes = await admin.submit({ scope_mode: 'default' });
          expect(scopes.outcome).toMatchObject({ kind: 'updated' });
          await waitUntil(() => world.slack.messagesTo(ADMIN).length === 1, 'the setup-link DM');
          const link = linkIn(world.slack.messagesTo(ADMIN)[0]);

          await first.kill();
          await startBot(world, { port });

          const { setup, callback } = await authorizeInBrowser(world, link);
          expect(setup.body).toContain('acme.okta.com');
          expect(callback.status).toBe(200);
          await withStore(world, async (store) => {
            expect(await store.connections.findByNickname(world.teamId, 'acme-prod')).toMatchObject(
              {
                status: 'active',
                authorizedBy: ADMIN,
              },
            );
          });
          await waitUntil(() => world.slack.messagesTo(ADMIN).length === 2, 'the result DM');
        });
      }));

    /**
     * Okta rotates refresh tokens and rotates before it answers; the bot is killed while
     * that answer is on its way (the peer holds it: `delay-after`), so the new refresh
     * token is never saved and the stored one is already spent. The restarted bot ends
     * the dead process's lease and sweeps at once.
     */
    async function killMidRefresh(world: World, store: Store) {
      const [seeded] = await seedActive(world, store.connections, 1, {
        accessExpiresAt: Date.now() + 5 * 60_000,
      });
      const id = seeded?.id ?? '';
      const spent =
        (await (await store.connections.readSecrets(id, ['refreshToken']))?.refreshToken) ?? '';
      world.okta.injectFault(TOKEN_PATH, { kind: 'delay-after', ms: 600_000, times: 1 });

      const first = await startBot(world);
      await waitUntil(
        () => world.okta.tokenStatus(spent) === 'rotated',
        'Okta to rotate the refresh token in the first sweep',
      );
      await first.kill();
      // The answer Okta was holding goes to a closed socket.
      world.okta.clearFaults(TOKEN_PATH);
      // What the killed bot left: the spent token, and its lease.
      expect(await (await store.connections.readSecrets(id, ['refreshToken']))?.refreshToken).toBe(
        spent,
      );
      expect(await (await store.connections.findById(world.teamId, id))?.leaseOwner).toMatch(
        /:\d+:/,
      );
      return { id, spent };
    }

    it('while refreshing, after Okta rotated the token and before the bot saved it, restarted within the grace period: the refresh with the spent token gets the new one and the connection stays active', () =>
      queued(() =>
        withWorld({ refreshToken: { rotation: 'ROTATE', leewaySeconds: 60 } }, (world) =>
          withStore(world, async (store) => {
            const { id, spent } = await killMidRefresh(world, store);

            const second = await startBot(world);
            await waitUntil(
              async () =>
                (await (await store.connections.findById(world.teamId, id))?.leaseOwner) === null,
              'the restarted bot to finish its refresh',
            );

            expect(await store.connections.findById(world.teamId, id)).toMatchObject({
              status: 'active',
              failureCount: 0,
            });
            // Okta's grace period answered the spent token with the token it rotated to.
            const family = world.okta.authorizations()[0];
            const saved = await (await store.connections.readSecrets(id, ['refreshToken']))
              ?.refreshToken;
            expect(saved).not.toBe(spent);
            expect(saved).toBe(family?.refreshToken);
            expect(family?.revoked).toBe(false);
            expect(world.okta.countRequests(TOKEN_PATH, 400)).toBe(0);
            expect(world.slack.messagesTo(ALERTS)).toHaveLength(0);
            expect(second.logs().map((line) => line.msg)).toContain(
              'a refresh was interrupted when its process stopped; retrying it now',
            );
          }),
        ),
      ));

    // Past the grace period Okta treats the spent token as stolen: it answers invalid_grant
    // and revokes the whole token family, so nothing the bot holds works any more. The bot
    // marks the connection needs_reauth, names the interrupted refresh as the likely cause,
    // and posts one alert with a Reauthorize button in the connection's channel.
    it('while refreshing, after Okta rotated the token and before the bot saved it, restarted past the grace period: Okta refuses the spent token and revokes the chain, so the connection needs reauthorization, says why, and one alert is posted', () =>
      queued(() =>
        withWorld({ refreshToken: { rotation: 'ROTATE', leewaySeconds: 30 } }, (world) =>
          withStore(world, async (store) => {
            const { id } = await killMidRefresh(world, store);
            world.okta.clock.advance(31_000);

            await startBot(world);
            await waitUntil(
              async () =>
                (await (await store.connections.findById(world.teamId, id))?.status) ===
                'needs_reauth',
              'the connection to need reauthorization',
            );
            const after = await store.connections.findById(world.teamId, id);
            expect(after).toMatchObject({ statusCode: 'invalid_grant' });
            expect(after?.statusText).toMatch(/bot stopped in the middle of a refresh/);
            expect(after?.statusText).toMatch(/grace period/);
            expect(world.okta.authorizations()[0]?.revoked).toBe(true);
            expect(world.okta.countRequests(TOKEN_PATH, 400)).toBe(1);

            await waitUntil(() => world.slack.messagesTo(ALERTS).length > 0, 'the alert');
            const alerts = world.slack.messagesTo(ALERTS);
            expect(alerts).toHaveLength(1);
            expect(JSON.stringify(alerts[0]?.blocks)).toContain('conn_reauth');
            expect(JSON.stringify(alerts[0]?.blocks)).toMatch(/stopped in the middle of a refresh/);
          }),
        ),
      ));

    it('in the middle of a burst of final submissions: the database opens cleanly, no connection is half-written, every auth request is usable or expired', () =>
      queued(() =>
        withWorld({}, async (world) => {
          const bot = await startBot(world);
          const admin = world.user(ADMIN, bot);
          const template = await toScopesStep(world, admin, { nickname: 'burst-template' });
          const state = decodeWizard(String(template.private_metadata));
          if (!state) throw new Error('no wizard state in the permissions step');

          // Many last clicks at once, each its own modal (view id) and nickname.
          const BURST = 60;
          const sent = Array.from({ length: BURST }, (_, i) =>
            viewSubmission({
              signingSecret: SIGNING_SECRET,
              userId: ADMIN,
              teamId: world.teamId,
              view: {
                ...template,
                id: `VBURST${String(i).padStart(4, '0')}`,
                private_metadata: encodeWizard({ ...state, nickname: `burst-${i}` }),
              },
              values: { scope_mode: 'default' },
            })
              .send(bot.requestUrl)
              .then(
                (response) => response.status,
                () => 'cut off' as const,
              ),
          );
          await waitUntil(
            () => world.slack.messagesTo(ADMIN).length >= 3,
            'the first setup-link DMs of the burst',
          );
          await bot.kill();
          const answers = await Promise.all(sent);
          expect(answers.every((answer) => answer === 200 || answer === 'cut off')).toBe(true);

          await withStore(world, async (store) => {
            expect(await store.handle.status()).toMatchObject({ ok: true, journalMode: 'wal' });
            const sqlite = store.handle.sqlite;
            expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
            expect(sqlite.pragma('foreign_key_check')).toEqual([]);

            const perConnection = sqlite
              .prepare(
                `select c.nickname, c.status, count(a.id) as requests from connections c
                 left join auth_requests a on a.connection_id = c.id group by c.id`,
              )
              .all() as { nickname: string; status: string; requests: number }[];
            expect(perConnection.length).toBeGreaterThan(0);
            for (const row of perConnection) {
              expect(row, 'a pending connection with exactly one auth request').toMatchObject({
                status: 'pending',
                requests: 1,
              });
            }
            const orphans = sqlite
              .prepare(
                `select count(*) as n from auth_requests a
                 left join connections c on c.id = a.connection_id where c.id is null`,
              )
              .get() as { n: number };
            expect(orphans.n).toBe(0);
            const now = Date.now();
            const requests = sqlite
              .prepare('select consumed_at, expires_at, link_token_hash from auth_requests')
              .all() as {
              consumed_at: number | null;
              expires_at: number;
              link_token_hash: string;
            }[];
            for (const request of requests) {
              const usable = request.consumed_at === null && request.expires_at > now;
              const expired = request.expires_at <= now;
              expect(usable || expired).toBe(true);
            }

            // Every link that reached a DM belongs to its own usable request.
            const links = world.slack.messagesTo(ADMIN).map((message) => linkIn(message));
            expect(links.length).toBeLessThanOrEqual(perConnection.length);
            for (const link of links) {
              const token = decodeURIComponent(link.slice(link.lastIndexOf('/') + 1));
              expect(requests.some((r) => r.link_token_hash === hashToken(token))).toBe(true);
              expect(await store.authRequests.inspectLinkToken(token)).toMatchObject({ ok: true });
            }
          });
        }),
      ));
  });

  describe('§3 two bot processes on one database file', () => {
    const queued = oneAtATime();
    let world: World;
    let store: Store;
    let a: BotProcess;
    let b: BotProcess;
    let swept: { id: string }[] = [];
    /** The refresh token each swept connection started with: its family at Okta. */
    let sweptTokens = new Set<string | null | undefined>();

    // Three due periods: the sweeps both bots run at start-up, then two on their interval
    // (10 s, the shortest allowed). Between periods the test makes every token due again.
    const ROUNDS = 3;
    /** Each bot refreshes up to 4 connections of one org at a time (its rate gate)… */
    const IN_FLIGHT_PER_BOT = 4;
    /**
     * …and leases up to 16 at once (its sweep's concurrency), so with more than 16 due
     * the second bot always finds some the first has not taken.
     */
    const CONNECTIONS = 24;
    const dueSoon = () => Date.now() + 5 * 60_000;
    const tokenRequests = () => world.okta.requests.filter((r) => r.path === TOKEN_PATH);
    // Okta holds refresh requests until both bots have theirs in flight, so that the two
    // sweeps run at the same moment whatever their start-up times.
    const holdRefreshes = () => world.okta.injectFault(TOKEN_PATH, { kind: 'delay', ms: 600_000 });
    let tokenRequestsBefore = 0;

    beforeAll(async () => {
      world = await startWorld({ refreshToken: { rotation: 'ROTATE', leewaySeconds: 0 } });
      store = openStore(world);
      swept = await seedActive(world, store.connections, CONNECTIONS, {
        accessExpiresAt: dueSoon(),
      });
      sweptTokens = new Set(
        await Promise.all(
          swept.map(
            async (c) =>
              (await store.connections.readSecrets(c.id, ['refreshToken']))?.refreshToken,
          ),
        ),
      );
      holdRefreshes();
      tokenRequestsBefore = tokenRequests().length;
      [a, b] = await Promise.all([startBot(world), startBot(world)]);
    }, 40_000);
    afterAll(async () => {
      store?.close();
      await world?.close();
    });

    it('sweeping together against Okta with rotation and no grace period, for three due periods: every connection refreshed exactly once per period, no invalid_grant, no revoked chain, no alert', async () => {
      const bots = [a, b];
      const families = () =>
        world.okta
          .authorizations()
          .filter((family) => sweptTokens.has(family.refreshTokens[0] ?? ''));
      for (let round = 1; round <= ROUNDS; round += 1) {
        await waitUntil(
          () => tokenRequests().length - tokenRequestsBefore >= 2 * IN_FLIGHT_PER_BOT,
          `both bots refreshing at once in round ${round}`,
          { timeoutMs: HEALTH_INTERVAL_SECONDS * 1000 + 10_000 },
        );
        world.okta.clearFaults(TOKEN_PATH);
        await waitUntil(
          () => bots.every((bot) => sweepReports(bot).length >= round),
          `both bots' sweep #${round} to end`,
        );
        const reports = bots.map((bot) => sweepReports(bot)[round - 1] as SweepReport);
        // Both processes did part of the work…
        for (const report of reports) {
          expect(report).toMatchObject({ needsReauth: 0, failed: 0 });
          expect(report.refreshed).toBeGreaterThanOrEqual(IN_FLIGHT_PER_BOT);
        }
        // …and together exactly one refresh per connection.
        expect(reports.reduce((sum, report) => sum + report.refreshed, 0)).toBe(CONNECTIONS);
        const now = families();
        expect(now).toHaveLength(CONNECTIONS);
        expect(now.map((family) => family.refreshTokens.length)).toEqual(now.map(() => round + 1));
        expect(now.filter((family) => family.revoked)).toEqual([]);
        // The bot holds the head of every chain.
        const heads = new Set(now.map((family) => family.refreshToken));
        for (const connection of swept) {
          expect(
            await (await store.connections.findById(world.teamId, connection.id))?.status,
          ).toBe('active');
          const stored = await store.connections.readSecrets(connection.id, ['refreshToken']);
          expect(heads.has(stored?.refreshToken ?? null)).toBe(true);
        }
        if (round < ROUNDS) {
          holdRefreshes();
          tokenRequestsBefore = tokenRequests().length;
          const ids = swept.map((c) => c.id);
          store.handle.sqlite
            .prepare(
              `update connections set access_expires_at = ? where id in (${ids.map(() => '?').join(',')})`,
            )
            .run(dueSoon(), ...ids);
        }
      }
      expect(world.okta.countRequests(TOKEN_PATH, 400)).toBe(0);
      expect(world.okta.countRequests(TOKEN_PATH, 200)).toBe(CONNECTIONS * ROUNDS);
      expect(world.slack.messagesTo(ALERTS)).toHaveLength(0);
    });

    const dms = (userId: string) => world.slack.messagesTo(userId).length;
    const requestsFor = (connectionId: string) =>
      (
        store.handle.sqlite
          .prepare('select count(*) as n from auth_requests where connection_id = ?')
          .get(connectionId) as { n: number }
      ).n;

    it('answers a final submission delivered again (X-Slack-Retry-Num) while the first is under way with the first answer: one pending connection, one DM', () =>
      queued(async () => {
        const [userId] = MORE_ADMINS;
        const { original, again } = await finalSubmission(world, userId, a, 'retry-same');
        const [first, second] = await Promise.all([
          original.send(a.requestUrl),
          again.send(a.requestUrl),
        ]);
        expect(first.status).toBe(200);
        expect(first.body).toMatchObject({ response_action: 'update' });
        expect(second.body).toEqual(first.body);

        await waitUntil(() => dms(userId) >= 1, 'the setup-link DM');
        const connection = await store.connections.findByNickname(world.teamId, 'retry-same');
        expect(connection?.status).toBe('pending');
        expect(requestsFor(connection?.id ?? '')).toBe(1);
        expect(dms(userId)).toBe(1);
      }));

    // The replay memory is in the database: a retry that another process (a second
    // replica) takes gets the first delivery's answer, so the admin sees the same next
    // step, and there is one connection and one DM.
    it('keeps one pending connection and one DM, and answers the same, when the retry reaches the other bot process', () =>
      queued(async () => {
        const userId = MORE_ADMINS[1];
        const { original, again } = await finalSubmission(world, userId, a, 'retry-other');
        // Slack retries after the first answer was late: the retry comes second.
        const first = await original.send(a.requestUrl);
        const retried = await again.send(b.requestUrl);
        expect([first.status, retried.status]).toEqual([200, 200]);
        expect([actionOf(first), actionOf(retried)]).toEqual(['update', 'update']);
        expect(retried.body).toEqual(first.body);

        await waitUntil(() => dms(userId) >= 1, 'the setup-link DM');
        const connection = await store.connections.findByNickname(world.teamId, 'retry-other');
        expect(connection?.status).toBe('pending');
        expect(requestsFor(connection?.id ?? '')).toBe(1);
        expect(dms(userId)).toBe(1);
      }));

    // Slack allows one views.open per trigger id. The bot acknowledges the repeated
    // command and tries to open the wizard again with the same trigger; Slack refuses
    // (exchanged_trigger_id), so the admin still has one modal. The bot logs the refusal
    // as a failed listener (and counts it in its Slack error metric); nothing is stored
    // either way, since only the wizard's last step creates a connection.
    it('opens no second modal when the same slash command is delivered again: Slack refuses the spent trigger id', () =>
      queued(async () => {
        const userId = MORE_ADMINS[2];
        const triggerId = world.slack.issueTriggerId({ userId });
        const command = slashCommand({
          signingSecret: SIGNING_SECRET,
          userId,
          teamId: world.teamId,
          channelId: ALERTS,
          triggerId,
          responseUrl: world.slack.issueResponseUrl(),
        });
        const opens = () =>
          world.slack.calls('views.open').filter((call) => call.args.trigger_id === triggerId);
        expect((await command.send(a.requestUrl)).status).toBe(200);
        await waitUntil(() => opens().length === 1, 'the wizard to open');
        const retried = signedRequest(command.body, FORM, {
          signingSecret: SIGNING_SECRET,
          retry: RETRY,
        });
        expect((await retried.send(a.requestUrl)).status).toBe(200);
        await waitUntil(() => opens().length === 2, 'the second views.open');

        expect(opens().map((call) => call.response)).toEqual([
          expect.objectContaining({ ok: true }),
          expect.objectContaining({ ok: false, error: 'exchanged_trigger_id' }),
        ]);
        expect(world.slack.viewStack(userId)).toHaveLength(1);
        await waitUntil(
          () => a.logs().some((line) => line.msg === 'Slack listener failed'),
          'the bot to log the refused views.open',
        );
      }));

    it('lets one of two admins reauthorizing the same connection at once (through the two processes) have the link, and tells the other who has it', () =>
      queued(async () => {
        const [connection] = await seedActive(world, store.connections, 1, {
          prefix: 'shared',
          accessExpiresAt: Date.now() + 60 * 60_000,
        });
        const id = connection?.id ?? '';
        const ada = world.user(ADMIN, a);
        const bea = world.user(ADMIN2, b);
        await Promise.all([ada.command('reauth shared-0'), bea.command('reauth shared-0')]);
        await waitUntil(
          () => !!world.slack.currentView(ADMIN) && !!world.slack.currentView(ADMIN2),
          'both reauthorize modals',
        );

        const results = await Promise.all([ada.submit({}), bea.submit({})]);
        const told = results.map((result) =>
          JSON.stringify(result.outcome).includes('Already being reauthorized'),
        );
        expect(told.filter(Boolean)).toHaveLength(1);
        const [winner, loser] = told[0] ? [ADMIN2, ADMIN] : [ADMIN, ADMIN2];
        const [won, lost] = told[0] ? [results[1], results[0]] : [results[0], results[1]];
        expect(JSON.stringify(lost?.outcome)).toContain(`Another admin (${winner})`);
        expect(won?.outcome).toMatchObject({ kind: 'updated' });

        await waitUntil(() => dms(winner) >= 1, 'the winner’s setup-link DM');
        const open = store.handle.sqlite
          .prepare(
            'select slack_user_id from auth_requests where connection_id = ? and consumed_at is null',
          )
          .all(id) as { slack_user_id: string }[];
        expect(open).toEqual([{ slack_user_id: winner }]);
        expect(dms(loser)).toBe(0);
        expect(await (await store.connections.findById(world.teamId, id))?.status).toBe('active');
      }));
  });
});
