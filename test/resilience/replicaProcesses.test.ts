import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePostgres, emptyPostgresDatabase } from '../db/testDatabase.ts';
import { freePort } from '../e2e/harness.ts';
import { authorizeInBrowser, linkIn, toScopesStep } from '../e2e/journey.ts';
import { seedActive } from '../e2e/seed.ts';
import { type SlackHttpResponse, type SlackUser, slashCommand } from '../peers/slack/index.ts';
import { waitUntil } from '../waitUntil.ts';
import { type Balancer, type Served, startBalancer } from './balancer.ts';
import {
  ADMIN,
  ADMIN2,
  ALERTS,
  actionOf,
  type BotProcess,
  finalSubmission,
  HEALTH_INTERVAL_SECONDS,
  MORE_ADMINS,
  openSharedStore,
  type SharedStore,
  SIGNING_SECRET,
  startBot,
  startWorld,
  sweepReports,
  type World,
} from './botProcess.ts';

/**
 * Issue 10: three bot processes (the compiled bot, `npm start`'s `node dist/main.js`, each
 * its own process group) on one PostgreSQL database, behind a round-robin balancer
 * (./balancer.ts) that is every bot's PUBLIC_URL, so Slack's requests, the setup links and
 * Okta's redirect all go through it, each to the next replica, with no sticky sessions.
 * The Okta peer and the Slack stand-in run in this process. The tests share the bots and
 * run one after the other; each uses its own admin and nicknames. The compiled bot starts
 * faster than `tsx` (nothing to transpile), which matters with three starting at once and
 * three restarts; dist/ must be built from the current sources (`npm test` builds it).
 */

const REPLICAS = 3;
const TOKEN_PATH = '/oauth2/v1/token';

let world: World;
let balancer: Balancer;
let shared: SharedStore;
let ports: number[] = [];
/** The running bot of each replica slot (a restarted one replaces its slot's entry). */
const bots: BotProcess[] = [];

/** Starts the bot of `slot` on its port behind the balancer; resolves once it is ready. */
async function startReplica(slot: number): Promise<BotProcess> {
  const bot = await startBot(world, { port: ports[slot], publicUrl: balancer.url, compiled: true });
  await waitUntil(
    async () => {
      if (bot.child.exited()) throw new Error(`replica ${slot} exited:\n${bot.child.stderr()}`);
      const res = await fetch(`${bot.url}/readyz`).catch(() => null);
      await res?.body?.cancel();
      return res?.status === 200;
    },
    `replica ${slot} to be ready`,
    { timeoutMs: 20_000, detail: () => bot.child.stderr() },
  );
  bots[slot] = bot;
  return bot;
}

/** Where Slack sends its requests: the balancer, which hands each to the next replica. */
const toBalancer = () => ({ requestUrl: `${balancer.url}/slack/events` });

/** An admin in Slack, whose requests reach the bots through the balancer. */
function viaBalancer(userId: string): SlackUser {
  return world.user(userId, toBalancer());
}

const dms = (userId: string) => world.slack.messagesTo(userId).length;

/** `GET /connect/:token`, without the token. */
function route(request: Served): string {
  return `${request.method} ${request.path.replace(/^\/connect\/.+$/, '/connect/:token')}`;
}

/** A PostgreSQL session as the sweep race watches it in pg_stat_activity. */
type Session = { wait_event_type: string | null; reads_connections: boolean; query: string };

async function count(query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await shared.store.all<{ n: number | string }>(query);
  return Number(row?.n ?? 0);
}

describePostgres(
  'three bot processes on one PostgreSQL database behind a round-robin balancer',
  () => {
    beforeAll(async () => {
      ports = await Promise.all(Array.from({ length: REPLICAS }, () => freePort()));
      balancer = await startBalancer(ports);
      world = await startWorld({
        databaseUrl: await emptyPostgresDatabase(),
        redirectPorts: [balancer.port],
        // Okta's strictest rotation: a refresh token used twice revokes its whole family.
        refreshToken: { rotation: 'ROTATE', leewaySeconds: 0 },
      });
      // Started together on an empty database: they migrate in turn (advisory lock).
      await Promise.all(ports.map((_, slot) => startReplica(slot)));
      shared = await openSharedStore(world);
    }, 60_000);

    afterAll(async () => {
      await shared?.close();
      await world?.close();
      await balancer?.close();
    });

    it('takes an admin through a whole connection with each request on the next replica', async () => {
      const from = balancer.served.length;
      const first = balancer.nextReplica();
      const admin = viaBalancer(ADMIN);
      await toScopesStep(world, admin, { nickname: 'round-robin' });
      const last = await admin.submit({ scope_mode: 'default' });
      expect(last.outcome).toMatchObject({ kind: 'updated' });
      await waitUntil(() => dms(ADMIN) === 1, 'the setup-link DM');
      const link = linkIn(world.slack.messagesTo(ADMIN)[0]);
      expect(link.startsWith(`${balancer.url}/connect/`)).toBe(true);

      const { posted, callback } = await authorizeInBrowser(world, link);
      const authorize = new URL(posted.location ?? '');
      expect(authorize.searchParams.get('redirect_uri')).toBe(
        `${balancer.url}/oauth/okta/callback`,
      );
      expect(callback.status).toBe(200);
      await waitUntil(() => dms(ADMIN) === 2, 'the result DM');
      expect(await shared.connections.findByNickname(world.teamId, 'round-robin')).toMatchObject({
        status: 'active',
        authorizedBy: ADMIN,
      });

      const journey = balancer.served.slice(from);
      expect(journey.map(route)).toEqual([
        'POST /slack/events', // the slash command
        'POST /slack/events', // the org step
        'POST /slack/events', // the details step
        'POST /slack/events', // the permissions step: the link is DM'd
        'GET /connect/:token',
        'POST /connect/:token', // the secret, then off to Okta
        'GET /oauth/okta/callback',
      ]);
      expect(journey.map((request) => request.replica)).toEqual(
        journey.map((_, i) => (first + i) % REPLICAS),
      );
      expect(journey.flatMap((request) => request.attempts.filter((a) => a.error))).toEqual([]);
    }, 30_000);

    it('answers a final submission that Slack delivers again to another replica with the first answer: one connection, one DM', async () => {
      const userId = ADMIN2;
      const { original, again } = await finalSubmission(
        world,
        userId,
        toBalancer(),
        'retried-across',
      );
      const at = balancer.served.length;
      // Slack retries because the first answer was late: the retry comes second, and the
      // balancer hands it to the next replica.
      const first = await original.send(`${balancer.url}/slack/events`);
      const retried = await again.send(`${balancer.url}/slack/events`);
      const [one, two] = balancer.served.slice(at).map((request) => request.replica);
      expect(one).not.toBeNull();
      expect(two).not.toBeNull();
      expect(two).not.toBe(one);

      expect([first.status, retried.status]).toEqual([200, 200]);
      expect(actionOf(first)).toBe('update');
      expect(retried.body).toEqual(first.body);
      expect(retried.text).not.toContain('just taken');

      await waitUntil(() => dms(userId) >= 1, 'the setup-link DM');
      const connection = await shared.connections.findByNickname(world.teamId, 'retried-across');
      expect(connection?.status).toBe('pending');
      expect(
        await count(sql`select count(*) as n from connections where nickname = 'retried-across'`),
      ).toBe(1);
      expect(
        await count(
          sql`select count(*) as n from auth_requests where connection_id = ${connection?.id ?? ''}`,
        ),
      ).toBe(1);
      expect(dms(userId)).toBe(1);
    }, 30_000);

    it('completes a connection on the other replicas when the one that sent the setup link is killed (SIGKILL) before the callback', async () => {
      const userId = MORE_ADMINS[0];
      const admin = viaBalancer(userId);
      await toScopesStep(world, admin, { nickname: 'survivor' });
      const at = balancer.served.length;
      expect((await admin.submit({ scope_mode: 'default' })).outcome).toMatchObject({
        kind: 'updated',
      });
      await waitUntil(() => dms(userId) === 1, 'the setup-link DM');
      const dead = balancer.served[at]?.replica;
      if (dead == null) throw new Error('no replica took the final submission');
      const link = linkIn(world.slack.messagesTo(userId)[0]);

      await bots[dead]?.kill();
      const from = balancer.served.length;
      const { callback } = await authorizeInBrowser(world, link);
      expect(callback.status).toBe(200);
      await waitUntil(() => dms(userId) === 2, 'the result DM');
      expect(await shared.connections.findByNickname(world.teamId, 'survivor')).toMatchObject({
        status: 'active',
        authorizedBy: userId,
      });

      const after = balancer.served.slice(from);
      expect(after.map(route)).toEqual([
        'GET /connect/:token',
        'POST /connect/:token',
        'GET /oauth/okta/callback',
      ]);
      // The dead replica's turn came (round robin), its port refused the connection, and
      // the balancer passed the request on; every answer came from a live replica.
      expect(after.flatMap((request) => request.attempts.filter((a) => a.error))).toEqual([
        { replica: dead, error: 'ECONNREFUSED' },
      ]);
      for (const request of after) {
        expect(request.replica).not.toBeNull();
        expect(request.replica).not.toBe(dead);
      }

      // Back to three for the tests that follow.
      await startReplica(dead);
    }, 60_000);

    it('sweeps with all three replicas at once against rotating refresh tokens and a slow token endpoint: every connection refreshed once, no invalid_grant, no alert', async () => {
      const CONNECTIONS = 48;
      const seeded = await seedActive(world, shared.connections, CONNECTIONS, {
        prefix: 'swept',
        // Not due yet: they come due below, at one moment for all three replicas.
        accessExpiresAt: Date.now() + 60 * 60_000,
      });
      const ids = seeded.map((connection) => connection.id);
      const startTokens = new Set(
        await Promise.all(
          ids.map(
            async (id) =>
              (await shared.connections.readSecrets(id, ['refreshToken']))?.refreshToken,
          ),
        ),
      );
      const families = () =>
        world.okta.authorizations().filter((family) => startTokens.has(family.refreshTokens[0]));
      const alertsBefore = world.slack.messagesTo(ALERTS).length;
      const reportsBefore = bots.map((bot) => sweepReports(bot).length);

      // The test holds the connections table while it makes the tokens due, until each
      // replica's next sweep (every HEALTH_INTERVAL_SECONDS) waits on it for its list of
      // due connections; then all three sweeps start at the same moment on the same rows.
      // (Another session watches: a transaction sees one snapshot of pg_stat_activity.)
      const holder = new pg.Client({ connectionString: world.databaseUrl ?? '' });
      const watcher = new pg.Client({ connectionString: world.databaseUrl ?? '' });
      await Promise.all([holder.connect(), watcher.connect()]);
      let tokenRequestsFrom = 0;
      let activity: Session[] = [];
      try {
        await holder.query('BEGIN');
        await holder.query('LOCK TABLE connections IN ACCESS EXCLUSIVE MODE');
        await holder.query('UPDATE connections SET access_expires_at = $1 WHERE id = ANY($2)', [
          Date.now() + 5 * 60_000,
          ids,
        ]);
        await waitUntil(
          async () => {
            activity = (
              await watcher.query<Session>(
                `SELECT wait_event_type, query ILIKE '%from "connections"%' AS reads_connections,
                   left(query, 80) AS query
                 FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle'`,
              )
            ).rows;
            const waiting = activity.filter(
              (row) => row.wait_event_type === 'Lock' && row.reads_connections,
            );
            return waiting.length >= REPLICAS;
          },
          'every replica’s sweep to wait for the due connections',
          {
            timeoutMs: HEALTH_INTERVAL_SECONDS * 1000 + 5_000,
            intervalMs: 50,
            detail: () => JSON.stringify(activity, null, 1),
          },
        );
        // Okta answers each refresh only after a while: every lease is held for that long,
        // while the other replicas go through the same rows.
        world.okta.injectFault(TOKEN_PATH, { kind: 'delay', ms: 1_500 });
        tokenRequestsFrom = world.okta.requests.length;
        await holder.query('COMMIT');
      } finally {
        await Promise.all([holder.end(), watcher.end()]);
      }

      try {
        await waitUntil(
          () => bots.every((bot, slot) => sweepReports(bot).length > (reportsBefore[slot] ?? 0)),
          'the three sweeps to end',
          { timeoutMs: 40_000, intervalMs: 100 },
        );
      } finally {
        world.okta.clearFaults(TOKEN_PATH);
      }
      const reports = bots.map((bot, slot) => sweepReports(bot)[reportsBefore[slot] ?? 0]);
      // All three took part, and together refreshed each connection once.
      for (const report of reports) {
        expect(report).toMatchObject({ needsReauth: 0, failed: 0 });
        expect(report?.refreshed).toBeGreaterThan(0);
      }
      expect(reports.reduce((sum, report) => sum + (report?.refreshed ?? 0), 0)).toBe(CONNECTIONS);

      const tokenAnswers = world.okta.requests
        .slice(tokenRequestsFrom)
        .filter((request) => request.path === TOKEN_PATH);
      expect(tokenAnswers.filter((request) => request.status === 400)).toEqual([]);
      expect(tokenAnswers.filter((request) => request.status === 200)).toHaveLength(CONNECTIONS);
      // Each family rotated exactly once (a token used twice would have revoked it), and
      // the bot holds its head.
      const now = families();
      expect(now).toHaveLength(CONNECTIONS);
      expect(now.filter((family) => family.revoked)).toEqual([]);
      expect(now.map((family) => family.refreshTokens.length)).toEqual(now.map(() => 2));
      const heads = new Set(now.map((family) => family.refreshToken));
      for (const id of ids) {
        expect(await shared.connections.findById(world.teamId, id)).toMatchObject({
          status: 'active',
          failureCount: 0,
          leaseOwner: null,
        });
        const stored = await shared.connections.readSecrets(id, ['refreshToken']);
        expect(heads.has(stored?.refreshToken ?? null)).toBe(true);
      }
      expect(world.slack.messagesTo(ALERTS)).toHaveLength(alertsBefore);
    }, 60_000);

    it('restarts the replicas one at a time (SIGTERM, start, ready) under a steady stream of slash commands without a failed request', async () => {
      const userId = MORE_ADMINS[1];
      const list = () =>
        slashCommand({
          signingSecret: SIGNING_SECRET,
          userId,
          teamId: world.teamId,
          channelId: ALERTS,
          text: 'list',
          triggerId: world.slack.issueTriggerId({ userId }),
          responseUrl: world.slack.issueResponseUrl(),
        }).send(`${balancer.url}/slack/events`);
      const expected = textOf(await list());
      // The list (the workspace's connections, or that it has none), the same all along.
      expect(expected).toMatch(
        /^(Okta connections in this workspace: \d+|This workspace has no Okta connection)/,
      );

      const from = balancer.served.length;
      const answers: Promise<string>[] = [];
      let streaming = true;
      const stream = (async () => {
        while (streaming) {
          answers.push(
            list().then(
              (answer) => (answer.status === 200 ? textOf(answer) : `HTTP ${answer.status}`),
              (error: unknown) => `failed: ${String(error)}`,
            ),
          );
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      const servedBy = (slot: number, since: number) =>
        balancer.served.slice(since).some((request) => request.replica === slot);
      try {
        await waitUntil(() => answers.length >= 10, 'the stream to flow');
        for (let slot = 0; slot < REPLICAS; slot += 1) {
          const old = bots[slot];
          if (!old) throw new Error(`no replica in slot ${slot}`);
          const stopped = await old.stop();
          expect({ slot, code: stopped.code, signal: stopped.signal }).toEqual({
            slot,
            code: 0,
            signal: null,
          });
          const since = balancer.served.length;
          const fresh = await startReplica(slot);
          expect(fresh.child.pid).not.toBe(old.child.pid);
          await waitUntil(
            () => servedBy(slot, since),
            `restarted replica ${slot} to take requests`,
          );
        }
      } finally {
        streaming = false;
        await stream;
      }
      const results = await Promise.all(answers);
      expect(results.length).toBeGreaterThan(REPLICAS * 10);
      expect(results.filter((result) => result !== expected)).toEqual([]);

      // The stream did meet stopped replicas: the balancer passed those requests on.
      const window = balancer.served.slice(from);
      const passedOn = window.flatMap((request) => request.attempts.filter((a) => a.error));
      expect(passedOn.length).toBeGreaterThan(0);
      for (const attempt of passedOn) {
        expect(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']).toContain(attempt.error);
      }
      expect(window.filter((request) => request.status !== 200)).toEqual([]);
    }, 90_000);
  },
);

function textOf(answer: SlackHttpResponse): string {
  return String((answer.body as { text?: unknown } | undefined)?.text ?? answer.text);
}
