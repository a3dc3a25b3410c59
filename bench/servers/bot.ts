import { statSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { createBot } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { DatabaseHandle } from '../../src/db/openDatabase.ts';
import { openStore } from '../../src/db/openStore.ts';
import { runSweep } from '../../src/flows/healthSweep.ts';
import { homePage } from '../../src/handlers/homePage.ts';
import { createLogger } from '../../src/logger.ts';
import type { TokenResponse } from '../../test/peers/okta/index.ts';
import {
  CHANNEL_ID,
  CLIENT_ID,
  CLIENT_SECRET,
  OKTA_LOGIN,
  ORG,
  SEED_SCOPES,
} from '../lib/fixtures.ts';
import { serveCommands } from '../lib/ipc.ts';
import { timeCalls } from '../lib/stats.ts';

/**
 * okta-connect under test: `createBot` with the configuration from the environment (as
 * `npm start` reads it) and its store, a real SQLite file or PostgreSQL when `DATABASE_URL`
 * is set (as `npm start` chooses), in a process of its own. Besides serving
 * Slack and its pages it answers the orchestrator's commands: seed the store, run a
 * sweep, time a Home render, report memory.
 */
const loaded = loadConfig(process.env);
if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
const { config } = loaded;
const logger = createLogger(config.logLevel);
const database = await openStore(config, logger);
/** The SQLite handle, for the figures only a file has; null on PostgreSQL. */
const sqliteFile = database.dialect === 'sqlite' ? (database as DatabaseHandle) : null;
const bot = createBot(config, { logger, database });
const { port } = await bot.start();
const owner = `bench:${process.pid}`;
const { flows } = bot;

interface SeedArgs {
  teamId: string;
  prefix: string;
  /** Nicknames are `${prefix}-${from + i}`. */
  from: number;
  /** One token set per connection, or one set copied `count` times (the store's size only). */
  tokens: TokenResponse[];
  count?: number;
  oktaUserId: string;
}

/** Active connections stored as the callback stores them, in one transaction per batch. */
async function seed(args: SeedArgs): Promise<number> {
  const count = args.count ?? args.tokens.length;
  const now = Date.now();
  await database.transaction(async () => {
    for (let i = 0; i < count; i += 1) {
      const tokens = args.tokens[i % args.tokens.length] as TokenResponse;
      const created = await flows.connections.createPending({
        teamId: args.teamId,
        nickname: `${args.prefix}-${args.from + i}`,
        orgKind: 'other',
        domain: ORG,
        clientId: CLIENT_ID,
        scopeMode: 'custom',
        requestedScopes: SEED_SCOPES,
        createdBy: 'UBENCH00',
        notifyChannel: CHANNEL_ID,
      });
      if (!created.ok) throw new Error(`seed: ${args.prefix}-${args.from + i} is taken`);
      const active = await flows.connections.markActive(created.connection.id, {
        grantedScopes: tokens.scope.split(' '),
        accessToken: tokens.access_token ?? '',
        refreshToken: tokens.refresh_token ?? null,
        accessExpiresAt: now + tokens.expires_in * 1000,
        authorizedSub: args.oktaUserId,
        authorizedLogin: OKTA_LOGIN,
        authorizedBy: 'UBENCH00',
        clientSecret: CLIENT_SECRET,
      });
      if (!active.ok) throw new Error('seed: could not activate');
    }
  });
  return count;
}

serveCommands(
  { port },
  {
    seed,
    /** Makes `limit` active connections due now, as if their access tokens were expiring. */
    async makeDue(args: { limit: number }): Promise<number> {
      const rows = await database.all<{ id: string }>(
        sql`UPDATE connections SET access_expires_at = ${Date.now()} WHERE id IN
              (SELECT id FROM connections WHERE status = 'active' ORDER BY id LIMIT ${args.limit})
            RETURNING id`,
      );
      return rows.length;
    },
    /** One sweep as the scheduler runs it (this bot's gate), bounded by `timeoutMs`. */
    async sweep(args: { timeoutMs: number }) {
      const started = performance.now();
      const report = await runSweep(flows, {
        owner,
        gate: bot.gate,
        signal: AbortSignal.timeout(args.timeoutMs),
      });
      return { report, seconds: (performance.now() - started) / 1000 };
    },
    /** One sweep as the bot's scheduler runs it: this process's lease owner, alerts raised. */
    async scheduledSweep() {
      const started = performance.now();
      const report = await bot.health.runNow();
      if (!report) throw new Error('the scheduled sweep failed (see the log)');
      return { report, seconds: (performance.now() - started) / 1000 };
    },
    statusCounts: async () => await flows.connections.countByStatus(),
    /**
     * What a running store gets on its own after a bulk load: PostgreSQL's autovacuum
     * (VACUUM ANALYZE: dead tuples gone, visibility map and statistics set), SQLite's ANALYZE.
     */
    async analyze() {
      await database.run(sql.raw(sqliteFile ? 'ANALYZE' : 'VACUUM ANALYZE'));
    },
    /** RSS as it stands, then the heap still in use after a full GC (when exposed). */
    memory() {
      const { rss } = process.memoryUsage();
      (globalThis as { gc?: () => void }).gc?.();
      return { rss, heapUsedAfterGc: process.memoryUsage().heapUsed };
    },
    /** The Home tab's first page for a team, timed in-process (no Slack call). */
    homeRender: (args: { teamId: string; maxCalls: number; budgetMs: number }) =>
      timeCalls(() => homePage(flows, args.teamId, 1), args),
    /** The database file with its WAL, after a checkpoint, in bytes (PostgreSQL: the database). */
    async dbSize() {
      if (!sqliteFile) {
        const [row] = await database.all<{ bytes: string | number }>(
          sql`SELECT pg_database_size(current_database()) AS bytes`,
        );
        return Number(row?.bytes ?? 0);
      }
      sqliteFile.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      const size = (path: string) => {
        try {
          return statSync(path).size;
        } catch {
          return 0;
        }
      };
      return size(config.databasePath) + size(`${config.databasePath}-wal`);
    },
  },
  async () => {
    await bot.stop(2000);
    await database.close();
  },
);
