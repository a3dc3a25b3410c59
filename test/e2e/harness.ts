import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type Database from 'better-sqlite3';
import { type Bot, createBot } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/openDatabase.ts';
import { openPostgres } from '../../src/db/openPostgres.ts';
import type { Store } from '../../src/db/store.ts';
import { createLogger } from '../../src/logger.ts';
import { type OktaPeer, startOktaPeer } from '../peers/okta/index.ts';
import type { RoleType } from '../peers/okta/model.ts';
import { type SlackPeer, SlackUser, startSlackPeer } from '../peers/slack/index.ts';

export const SIGNING_SECRET = 'e2e0123456789abcdef0123456789abcd';
export const BOT_TOKEN = 'xoxb-e2e-test-token';
export const ENCRYPTION_KEY = Buffer.alloc(32, 0x5e).toString('base64');
export const ORG = 'acme.okta.com';
export const CLIENT_ID = '0oa1e2eClient';
export const CLIENT_SECRET = 'e2e-client-secret-0123456789abcdefghij';
export const ADMIN = 'UADMIN1';
export const ADMIN_PASSWORD = 'correct horse battery staple';

/** A port that was free a moment ago: the bot's PUBLIC_URL must be known before it starts. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Harness {
  okta: OktaPeer;
  slack: SlackPeer;
  bot: Bot;
  /** The bot's store: SQLite by default, PostgreSQL with `databaseUrl`. */
  database: Store;
  /** The SQLite connection, for raw looks at rows; throws on a PostgreSQL harness. */
  sqlite(): Database.Database;
  databasePath: string;
  publicUrl: string;
  requestUrl: string;
  /** Every log line the bot wrote, as JSON text. */
  logs: string[];
  admin: SlackUser;
  oktaUserId: string;
  user(userId: string, teamId?: string): SlackUser;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  grantedScopes?: string[];
  roles?: RoleType[];
  grantTypes?: ('authorization_code' | 'refresh_token')[];
  databasePath?: string;
  /** The bot's clock (epoch ms), so a test can move time without fake timers. */
  now?: () => number;
  /** How the bot's background work waits; a test can move its clocks instead. */
  sleep?: (ms: number) => Promise<void>;
  /** More Okta domains and the origins that answer for them (beside ORG, which is the peer). */
  moreOrigins?: Record<string, string>;
  /** The Okta app's refresh token policy (default: Okta's STATIC for web apps). */
  refreshToken?: { rotation: 'STATIC' | 'ROTATE'; leewaySeconds?: number };
  /** Run on this PostgreSQL database (e.g. `emptyPostgresDatabase()`) instead of a SQLite file. */
  databaseUrl?: string;
  /**
   * Another replica of `peersOf`'s bot: the same Okta and Slack stand-ins (closed with
   * it, not here); give both the same `databaseUrl`.
   */
  peersOf?: Harness;
}

/** The bot as it runs, over real HTTP, between the Okta peer and the Slack stand-in. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const shared = options.peersOf;
  const okta = shared?.okta ?? (await startOktaPeer());
  const slack =
    shared?.slack ??
    (await startSlackPeer({
      botToken: BOT_TOKEN,
      users: [
        { id: ADMIN, isAdmin: true },
        { id: 'UADMIN2', isAdmin: true },
        { id: 'UPLAIN', isAdmin: false },
      ],
      channels: [{ id: 'CALERTS', name: 'okta-alerts' }],
    }));
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'okc-e2e-'));
  const databasePath = options.databasePath ?? join(dir, 'bot.sqlite');
  if (!shared)
    okta.addApp({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris: [`${publicUrl}/oauth/okta/callback`],
      grantTypes: options.grantTypes ?? ['authorization_code', 'refresh_token'],
      grantedScopes: options.grantedScopes ?? [
        'okta.users.read',
        'okta.groups.read',
        'okta.roles.read',
        'okta.logs.read',
      ],
      ...(options.refreshToken ? { refreshToken: options.refreshToken } : {}),
    });
  const oktaUserId =
    shared?.oktaUserId ??
    okta.addUser({
      login: 'ada@acme.example',
      password: ADMIN_PASSWORD,
      roles: options.roles ?? ['SUPER_ADMIN'],
      assignedTo: [CLIENT_ID],
    }).id;

  const result = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PUBLIC_URL: publicUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_PATH: databasePath,
    ENCRYPTION_KEY,
    OKTA_ORIGIN_OVERRIDES: JSON.stringify({ [ORG]: okta.origin, ...options.moreOrigins }),
    LOG_LEVEL: 'debug',
    ...options.env,
  });
  if (!result.ok) throw new Error(result.problems.join('\n'));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const database: Store = options.databaseUrl
    ? await openPostgres(options.databaseUrl)
    : openDatabase(databasePath);
  const bot = createBot(result.config, {
    logger: createLogger('debug', sink),
    database,
    now: options.now,
    sleep: options.sleep,
  });
  await bot.start();
  const requestUrl = `${publicUrl}/slack/events`;
  const user = (userId: string, teamId?: string) =>
    new SlackUser({
      peer: slack,
      requestUrl,
      signingSecret: SIGNING_SECRET,
      userId,
      channelId: 'CALERTS',
      ...(teamId ? { teamId } : {}),
    });
  return {
    okta,
    slack,
    bot,
    database,
    sqlite() {
      if (!('sqlite' in database)) throw new Error('this harness runs on PostgreSQL');
      return (database as DatabaseHandle).sqlite;
    },
    databasePath,
    publicUrl,
    requestUrl,
    logs,
    admin: user(ADMIN),
    oktaUserId,
    user,
    async close() {
      await bot.stop();
      await database.close();
      if (shared) return;
      await slack.close();
      await okta.close();
      if (!options.databasePath) rmSync(dir, { recursive: true, force: true });
    },
  };
}
