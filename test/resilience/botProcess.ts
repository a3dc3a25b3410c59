import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyRing } from '../../src/crypto.ts';
import { createAuthRequestsRepo } from '../../src/db/authRequestsRepo.ts';
import { createConnectionsRepo } from '../../src/db/connectionsRepo.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/openDatabase.ts';
import { openPostgres } from '../../src/db/openPostgres.ts';
import type { Store as DatabaseStore } from '../../src/db/store.ts';
import type { SweepReport } from '../../src/flows/healthSweep.ts';
import {
  ADMIN,
  ADMIN_PASSWORD,
  BOT_TOKEN,
  CLIENT_ID,
  CLIENT_SECRET,
  ENCRYPTION_KEY,
  freePort,
  ORG,
  SIGNING_SECRET,
} from '../e2e/harness.ts';
import { toScopesStep } from '../e2e/journey.ts';
import { type OktaPeer, type RefreshTokenPolicy, startOktaPeer } from '../peers/okta/index.ts';
import {
  type SlackHttpResponse,
  type SlackPeer,
  SlackUser,
  signedRequest,
  startSlackPeer,
  viewSubmission,
} from '../peers/slack/index.ts';
import {
  cleanEnv,
  type Finished,
  ROOT,
  startProcess,
  startTsx,
  type TsxProcess,
  waitForHealthz,
} from '../tsxProcess.ts';

/**
 * The bot as operators run it (`tsx src/main.ts` in a child process, its own process
 * group) between the Okta peer and the Slack stand-in, which run in the test process.
 * Every child started here is killed when its world closes (`withWorld`, `world.close`).
 */

export { ADMIN, CLIENT_ID, ORG, SIGNING_SECRET };
export const ADMIN2 = 'UADMIN2';
/** More admins, so that tests sharing one world keep to their own DMs and modals. */
export const MORE_ADMINS = ['UADMIN3', 'UADMIN4', 'UADMIN5'] as const;
export const ALERTS = 'CALERTS';
export const HEALTH_INTERVAL_SECONDS = 10;

export interface World {
  okta: OktaPeer;
  slack: SlackPeer;
  oktaUserId: string;
  dir: string;
  databasePath: string;
  /** The PostgreSQL database the bots share instead of the SQLite file, when set. */
  databaseUrl: string | null;
  teamId: string;
  /** The bots started in this world and still running. */
  bots: Set<BotProcess>;
  /** An admin in Slack whose requests go to `at`: a bot, or a balancer in front of bots. */
  user(userId: string, at: { requestUrl: string }): SlackUser;
  /** Kills its bots (process groups), closes the peers, removes the folder. */
  close(): Promise<void>;
}

/** The Okta org (one app, one super admin) and Slack workspace the bots talk to. */
export async function startWorld(
  options: {
    refreshToken?: RefreshTokenPolicy;
    /** The ports whose `/oauth/okta/callback` the Okta app accepts as redirect URIs. */
    redirectPorts?: number[];
    /** A PostgreSQL database (empty or migrated) for the bots instead of a SQLite file. */
    databaseUrl?: string;
  } = {},
): Promise<World> {
  const okta = await startOktaPeer();
  const slack = await startSlackPeer({
    botToken: BOT_TOKEN,
    users: [ADMIN, ADMIN2, ...MORE_ADMINS].map((id) => ({ id, isAdmin: true })),
    channels: [{ id: ALERTS, name: 'okta-alerts' }],
  });
  okta.addApp({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: (options.redirectPorts ?? []).map(
      (port) => `http://127.0.0.1:${port}/oauth/okta/callback`,
    ),
    grantTypes: ['authorization_code', 'refresh_token'],
    grantedScopes: ['okta.users.read', 'okta.groups.read', 'okta.roles.read', 'okta.logs.read'],
    ...(options.refreshToken ? { refreshToken: options.refreshToken } : {}),
  });
  const { id: oktaUserId } = okta.addUser({
    login: 'ada@acme.example',
    password: ADMIN_PASSWORD,
    roles: ['SUPER_ADMIN'],
    assignedTo: [CLIENT_ID],
  });
  const dir = mkdtempSync(join(tmpdir(), 'okc-resilience-'));
  const bots = new Set<BotProcess>();
  return {
    okta,
    slack,
    oktaUserId,
    dir,
    databasePath: join(dir, 'bot.sqlite'),
    databaseUrl: options.databaseUrl ?? null,
    teamId: slack.identity.teamId,
    bots,
    user: (userId, at) =>
      new SlackUser({
        peer: slack,
        requestUrl: at.requestUrl,
        signingSecret: SIGNING_SECRET,
        userId,
        channelId: ALERTS,
      }),
    async close() {
      const running = [...bots];
      bots.clear();
      for (const bot of running) bot.child.killGroup();
      await Promise.allSettled(running.map((bot) => bot.child.finished(10_000)));
      await okta.close();
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `work` in a new world and closes it (bots killed) however `work` ends. */
export async function withWorld<T>(
  options: Parameters<typeof startWorld>[0],
  work: (world: World) => Promise<T>,
): Promise<T> {
  const world = await startWorld(options);
  try {
    return await work(world);
  } finally {
    await world.close();
  }
}

/** The Content-Type of Slack's command and interaction requests. */
export const FORM = 'application/x-www-form-urlencoded';
/** What Slack adds when it delivers a request again after a late answer. */
export const RETRY = { num: 1, reason: 'http_timeout' };

/**
 * `userId`'s wizard, through `at`, up to the permissions step, and that step's submission
 * built once: `original`, and `again` as Slack delivers it again (X-Slack-Retry-Num).
 */
export async function finalSubmission(
  world: World,
  userId: string,
  at: { requestUrl: string },
  nickname: string,
) {
  const view = await toScopesStep(world, world.user(userId, at), { nickname });
  const original = viewSubmission({
    signingSecret: SIGNING_SECRET,
    userId,
    teamId: world.teamId,
    view,
    values: { scope_mode: 'default' },
  });
  const again = signedRequest(original.body, FORM, {
    signingSecret: SIGNING_SECRET,
    retry: RETRY,
  });
  return { original, again };
}

/** The `response_action` of the bot's answer to a view submission. */
export function actionOf(answer: SlackHttpResponse): string | undefined {
  return (answer.body as { response_action?: string } | undefined)?.response_action;
}

/** A queue: each `run` starts when the previous one has ended, whatever its outcome. */
export function oneAtATime() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** Every bot started here: none outlives the test process, even one that ends abruptly. */
const live = new Set<TsxProcess>();
process.once('exit', () => {
  for (const child of live) child.killGroup();
});

export interface BotProcess {
  readonly port: number;
  /** Where the bot itself listens: `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Its PUBLIC_URL: the bot itself, or the balancer in front of it. */
  readonly publicUrl: string;
  /** Its own Slack request URL (not through a balancer). */
  readonly requestUrl: string;
  readonly child: TsxProcess;
  /** The bot's JSON log lines so far. */
  logs(): Record<string, unknown>[];
  /** SIGKILL to the whole process group, then waits (bounded) until it is gone. */
  kill(): Promise<void>;
  /** SIGTERM, as an orchestrator stops it, then waits (bounded) for it to exit. */
  stop(): Promise<Finished>;
}

/** The reports of the health sweeps `bot` has finished, oldest first. */
export function sweepReports(bot: BotProcess): SweepReport[] {
  return bot
    .logs()
    .filter((line) => line.msg === 'health sweep done')
    .map((line) => line.sweep as SweepReport);
}

/** The newest modification time of a file under `dir`. */
function newestUnder(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/**
 * `npm start`'s command (`node dist/main.js`), after checking that dist/ was built from
 * the sources as they are: a test of an older build would prove nothing about them.
 */
function compiledCommand(): string[] {
  const entry = join(ROOT, 'dist', 'main.js');
  if (!existsSync(entry) || statSync(entry).mtimeMs < newestUnder(join(ROOT, 'src'))) {
    throw new Error('dist/ is missing or older than src/: run `npm run build` first');
  }
  return [process.execPath, entry];
}

/**
 * Starts the bot on `port` with the world's peers and database (its SQLite file, or its
 * PostgreSQL database); resolves once /healthz answers. By default `tsx src/main.ts`;
 * `compiled`: `npm start`'s `node dist/main.js`, which starts faster (nothing to
 * transpile), for suites that start many bots. `publicUrl` is where browsers reach it (a
 * load balancer in front of several bots); by default the bot itself.
 */
export async function startBot(
  world: World,
  options: {
    port?: number;
    publicUrl?: string;
    compiled?: boolean;
    env?: Record<string, string>;
  } = {},
): Promise<BotProcess> {
  const port = options.port ?? (await freePort());
  const own = `http://127.0.0.1:${port}`;
  const publicUrl = options.publicUrl ?? own;
  const cwd = mkdtempSync(join(world.dir, 'cwd-'));
  const run = {
    cwd,
    env: cleanEnv({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: world.slack.apiUrl,
      PUBLIC_URL: publicUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      ...(world.databaseUrl === null
        ? { DATABASE_PATH: world.databasePath }
        : { DATABASE_URL: world.databaseUrl }),
      ENCRYPTION_KEY,
      OKTA_ORIGIN_OVERRIDES: JSON.stringify({ [ORG]: world.okta.origin }),
      ADMIN_USER_IDS: [ADMIN, ADMIN2, ...MORE_ADMINS].join(','),
      HEALTH_INTERVAL_SECONDS: String(HEALTH_INTERVAL_SECONDS),
      LOG_LEVEL: 'info',
      ...options.env,
    }),
  };
  const child = options.compiled
    ? startProcess('node dist/main.js', compiledCommand(), run)
    : startTsx('src/main.ts', run);
  const bot: BotProcess = {
    port,
    url: own,
    publicUrl,
    requestUrl: `${own}/slack/events`,
    child,
    logs: () =>
      child
        .stdout()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    async kill() {
      child.killGroup();
      await child.finished(10_000);
      world.bots.delete(bot);
    },
    async stop() {
      child.signal('SIGTERM');
      try {
        return await child.finished(15_000);
      } finally {
        world.bots.delete(bot);
      }
    },
  };
  world.bots.add(bot);
  live.add(child);
  await waitForHealthz(child, own, { timeoutMs: 20_000 });
  return bot;
}

/** The repositories of the bot's database that the tests read and seed. */
function reposOn(store: DatabaseStore) {
  const ring = createKeyRing(Buffer.from(ENCRYPTION_KEY, 'base64'));
  return {
    connections: createConnectionsRepo(store, ring, Date.now),
    authRequests: createAuthRequestsRepo(store, ring, Date.now),
  };
}

/** The bot's database, opened by the test. */
export interface Store extends ReturnType<typeof reposOn> {
  handle: DatabaseHandle;
  close(): void;
}

/** The world's SQLite file, opened by the test (WAL: alongside running bots). */
export function openStore(world: World): Store {
  const handle = openDatabase(world.databasePath);
  return { handle, ...reposOn(handle), close: () => handle.close() };
}

/** The world's PostgreSQL database, opened by the test alongside running bots. */
export interface SharedStore extends ReturnType<typeof reposOn> {
  store: DatabaseStore;
  close(): Promise<void>;
}

export async function openSharedStore(world: World): Promise<SharedStore> {
  if (world.databaseUrl === null) throw new Error('this world keeps its bots on SQLite');
  const store = await openPostgres(world.databaseUrl, { poolSize: 4 });
  return { store, ...reposOn(store), close: () => store.close() };
}
