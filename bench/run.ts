import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { redactDatabaseUrl } from '../src/db/openPostgres.ts';
import { freePort } from '../test/e2e/harness.ts';
import { type SlackPeer, startSlackPeer } from '../test/peers/slack/index.ts';
import { type Child, killAll, ROOT, startChild } from './lib/children.ts';
import { selfTimeDifference, topSelfTime } from './lib/cpuProfile.ts';
import {
  ADMINS,
  API_KEY,
  BOT_TOKEN,
  ENCRYPTION_KEY,
  ORG,
  SIGNING_SECRET,
  SLACK_CHANNELS,
  SLACK_USERS,
  TEAM_ID,
} from './lib/fixtures.ts';
import { type BenchPostgres, benchPostgres, DEFAULT_BENCH_PG_URL } from './lib/postgres.ts';
import {
  KEPT_MARKER,
  machineLine,
  mergeResults,
  type Results,
  type RuntimeResults,
  renderMarkdown,
  TARGETS,
} from './lib/report.ts';
import { compareWithBolt, measureIdleRss } from './workloads/compareWithBolt.ts';
import { measureSweep } from './workloads/healthSweep.ts';
import { type JourneyResult, runJourneys } from './workloads/journeys.ts';
import { measureReplicaSweep } from './workloads/replicaSweep.ts';
import { measureStartup, STARTUP_IDLE_MS } from './workloads/startup.ts';
import { measureStoreScale } from './workloads/storeScale.ts';

/**
 * `npm run bench`: every workload of issues 6 and 12 side by side on this machine, on this
 * Node or on each runtime named by `--node`. Writes bench/results.json and
 * docs/benchmarks.md (keeping its hand-written part) and prints the tables. Measurement
 * only: nothing fails on a slow figure, only on a broken setup.
 */
const WORKLOADS = ['startup', 'slash', 'submit', 'journeys', 'sweep', 'scale', 'replicas'] as const;
const OWN_MAJOR = process.versions.node.split('.')[0] as string;
const { values: flags } = parseArgs({
  options: {
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '4' },
    // Majors (20,22,24,26): the machine's own runs here, any other in a clean copy of its own.
    node: { type: 'string', default: OWN_MAJOR },
    // Set by the run of another runtime: write that runtime's results to this file only.
    emit: { type: 'string' },
    // The PostgreSQL server for journeys, sweep and replicas on PostgreSQL (admin URL).
    'pg-url': { type: 'string' },
  },
});
const runtimeMajors = flags.node.split(',');
const only = new Set(flags.only ? flags.only.split(',') : WORKLOADS);
for (const name of only) {
  if (!(WORKLOADS as readonly string[]).includes(name)) {
    throw new Error(`--only takes ${WORKLOADS.join(', ')}; got ${name}`);
  }
}
const SETTINGS = {
  startRuns: 5,
  startIdleMs: STARTUP_IDLE_MS,
  concurrencies: [1, 16, 64],
  pointSeconds: Number(flags.seconds),
  warmupSeconds: 1,
  journeyConcurrencies: [1, 8],
  journeySeconds: 8,
  sweepConnections: 10_000,
  limitedConnections: 1_500,
  limitPerMinute: 1_200,
  limitedBoundSeconds: 90,
  scaleSizes: [10_000, 100_000],
  scaleMaxCalls: 200,
  scaleBudgetMs: 10_000,
  replicas: 3,
  replicaConnections: 10_000,
};
/** journeys, sweep and replicas also run on PostgreSQL: their own databases on this server. */
const PG_ADMIN_URL = flags['pg-url'] ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_PG_URL;

const log = (line: string) => process.stdout.write(`${line}\n`);
const work = mkdtempSync(join(tmpdir(), 'okc-bench-'));
const logDir = join(work, 'logs');
mkdirSync(logDir);

const results: Results = {
  date: new Date().toISOString(),
  machine: {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus().length,
    totalMemoryBytes: totalmem(),
    platform: `${platform()} ${release()}`,
  },
  settings: SETTINGS,
  targets: TARGETS,
  runtimes: [],
};
/** `--profile`: this run's CPU profiles, a folder per server, so that none is mistaken for an older one. */
const profileDir = join(ROOT, 'bench', 'profiles', results.date.replace(/[:.]/g, '-'));
/** What this process measures, on its own Node. */
const current: RuntimeResults = {
  node: process.version,
  startup: [],
  comparisons: [],
  idleRss: null,
  journeys: [],
  sweep: null,
  scale: [],
};

/** The bot's environment in every workload. */
const BOT_ENV = {
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  ENCRYPTION_KEY,
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  // The scheduler stays out of the way; the sweep workload runs sweeps itself.
  HEALTH_INTERVAL_SECONDS: '86400',
};

/** okta-connect as `npm start` would run it, with the bench's environment. */
function startBot(
  name: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<Child<{ port: number }>> {
  return startChild<{ port: number }>(name, 'bench/servers/bot.ts', {
    logDir,
    nodeArgs,
    compiled: true,
    env: { ...BOT_ENV, PORT: '0', DATABASE_PATH: join(work, `${name}.sqlite`), ...env },
  });
}

/** `npm start` before and after issue 12, started again and again: the build comes first. */
async function startup(slackApiUrl: string) {
  log('0. start-up: npm run dev (tsx) vs npm start (compiled)');
  const build = spawnSync(process.execPath, ['scripts/build.js'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
  current.startup = await measureStartup({
    root: ROOT,
    runs: SETTINGS.startRuns,
    idleMs: SETTINGS.startIdleMs,
    env: { ...BOT_ENV, SLACK_API_URL: slackApiUrl },
    workDir: work,
    log,
  });
}

/**
 * The same bench on another Node, in a clean copy of the project with its own `npm ci`
 * (native modules built for that runtime); its results come back through `--emit`.
 */
function onOtherRuntime(major: string): RuntimeResults {
  const file = join(work, `node${major}.json`);
  const args = [
    join(ROOT, 'scripts/ci/in-clean-copy.sh'),
    major,
    'node_modules/.bin/tsx',
    'bench/run.ts',
    `--emit=${file}`,
    `--seconds=${flags.seconds}`,
    ...(flags.only ? [`--only=${flags.only}`] : []),
  ];
  log(`\n=== Node ${major}: ${args.join(' ')}`);
  // The PostgreSQL URL by the environment: a password stays out of the process list.
  const run = spawnSync('bash', args, {
    stdio: 'inherit',
    env: { ...process.env, BENCH_DATABASE_URL: PG_ADMIN_URL },
  });
  if (run.status !== 0) throw new Error(`the bench on Node ${major} failed`);
  return JSON.parse(readFileSync(file, 'utf8')) as RuntimeResults;
}

async function loadComparisons(cannon: Child<unknown>) {
  const slackOurs = await startChild<{ apiUrl: string }>(
    'slack-ours',
    'bench/servers/slackPeer.ts',
    { logDir },
  );
  const slackBare = await startChild<{ apiUrl: string }>(
    'slack-bare',
    'bench/servers/slackPeer.ts',
    { logDir },
  );
  // The details step checks that the typed domain answers as an Okta org; in production
  // that answer is cached for an hour. Without an org to answer (no network) every
  // submission would look the domain up again and be refused.
  const okta = await startChild<{ origin: string }>('okta-load', 'bench/servers/oktaPeer.ts', {
    logDir,
  });
  const profile = (server: string) =>
    flags.profile ? ['--cpu-prof', '--cpu-prof-dir', join(profileDir, server)] : [];
  const ours = await startBot(
    'bot-load',
    {
      SLACK_API_URL: slackOurs.ready.apiUrl,
      OKTA_ORIGIN_OVERRIDES: JSON.stringify({ [ORG]: okta.ready.origin }),
    },
    profile('ours'),
  );
  const bare = await startChild<{ port: number }>('bare-bolt', 'bench/servers/bareBolt.ts', {
    logDir,
    compiled: true,
    nodeArgs: profile('bare'),
    env: { SLACK_API_URL: slackBare.ready.apiUrl },
  });
  const raw = await startChild<{ port: number }>('raw-http', 'bench/servers/rawHttp.ts', {
    logDir,
  });
  const url = (child: Child<{ port: number }>) => `http://127.0.0.1:${child.ready.port}`;
  const servers = {
    ours: { url: url(ours), process: ours, slack: slackOurs },
    bare: { url: url(bare), process: bare, slack: slackBare },
    raw: { url: url(raw), process: raw },
  };
  current.idleRss = await measureIdleRss(servers);
  log(
    `  idle RSS: ours ${(current.idleRss.oursBytes / 2 ** 20).toFixed(1)} MB, bare ${(current.idleRss.bareBytes / 2 ** 20).toFixed(1)} MB (${current.idleRss.ratio}×)`,
  );
  const all = await compareWithBolt(cannon, servers, {
    concurrencies: SETTINGS.concurrencies,
    seconds: SETTINGS.pointSeconds,
    warmupSeconds: SETTINGS.warmupSeconds,
    log,
    workloads: [
      ...(only.has('slash') ? ['slash_command' as const] : []),
      ...(only.has('submit') ? ['modal_submission' as const] : []),
    ],
  });
  current.comparisons.push(...all);
  await ours.stop();
  for (const child of [bare, raw, slackOurs, slackBare, okta]) await child.stop();
  if (flags.profile) {
    const oursProfile = reportProfile('okta-connect', 'ours');
    const bareProfile = reportProfile('bare Bolt', 'bare');
    if (oursProfile && bareProfile) reportProfileDifference(oursProfile, bareProfile);
  }
}

/** The profile a server wrote this run (profileDir/<server>), with its top self time. */
function reportProfile(title: string, server: string): string | null {
  const dir = join(profileDir, server);
  const file = (existsSync(dir) ? readdirSync(dir) : []).find((name) =>
    name.endsWith('.cpuprofile'),
  );
  if (!file) {
    log(`no CPU profile of ${title} was written`);
    return null;
  }
  const profile = join(dir, file);
  log(`\nCPU profile of ${title} under load: ${profile}\nTop self time:`);
  for (const hot of topSelfTime(profile)) {
    log(
      `  ${String(hot.percent).padStart(5)}%  ${String(hot.selfMs).padStart(6)} ms  ${hot.name}  ${hot.where}`,
    );
  }
  return profile;
}

/**
 * Where okta-connect spent more self time than bare Bolt over the same load (both ran the
 * same requests): by function, the largest differences first.
 */
function reportProfileDifference(ours: string, bare: string) {
  log('\nSelf time okta-connect − bare Bolt, by function (ms):');
  for (const row of selfTimeDifference(ours, bare)) {
    log(
      `  ${String(row.differenceMs).padStart(7)}  (${row.oursMs} − ${row.bareMs})  ${row.name}  ${row.where}`,
    );
  }
}

async function journeysSweepAndScale(slack: SlackPeer) {
  const journeyPort = await freePort();
  const publicUrl = `http://127.0.0.1:${journeyPort}`;
  const okta = await startChild<{ origin: string }>('okta-peer', 'bench/servers/oktaPeer.ts', {
    logDir,
  });
  const { userId: oktaUserId } = await okta.call<{ userId: string }>('setup', {
    redirectUris: [`${publicUrl}/oauth/okta/callback`],
  });
  const common = {
    SLACK_API_URL: slack.apiUrl,
    OKTA_ORIGIN_OVERRIDES: JSON.stringify({ [ORG]: okta.ready.origin }),
  };

  /** Which store a bot of one workload runs on, and the name and environment that give it. */
  type OnStore = { name: string; env: Record<string, string>; store: 'SQLite' | 'PostgreSQL' };

  /** Journeys at each concurrency on one bot. */
  async function journeysOn({ name, env }: OnStore) {
    const rows: JourneyResult[] = [];
    const bot = await startBot(name, {
      ...common,
      PORT: String(journeyPort),
      PUBLIC_URL: publicUrl,
      ...env,
    });
    for (const concurrency of SETTINGS.journeyConcurrencies) {
      const result = await runJourneys(slack, `${publicUrl}/slack/events`, ADMINS, {
        concurrency,
        seconds: SETTINGS.journeySeconds,
        tag: `j${concurrency}`,
      });
      rows.push(result);
      log(
        `  ${concurrency} at once: ${result.perSecond} journeys/s, p50 ${result.p50} ms, p99 ${result.p99} ms`,
      );
    }
    await bot.stop();
    return rows;
  }

  /** Workload 4 on one bot; on PostgreSQL without the rate-limited run (it measures the gate). */
  async function sweepOn({ name, env, store }: OnStore) {
    // --expose-gc: the memory figures add the heap left after a full collection.
    const bot = await startBot(name, { ...common, ...env }, ['--expose-gc']);
    const result = await measureSweep(bot, okta, {
      connections: SETTINGS.sweepConnections,
      limitedConnections: SETTINGS.limitedConnections,
      limitPerMinute: SETTINGS.limitPerMinute,
      boundSeconds: SETTINGS.limitedBoundSeconds,
      skipLimited: store === 'PostgreSQL',
      oktaUserId,
      log,
    });
    await bot.stop();
    return result;
  }

  const keyHash = createHash('sha256').update(API_KEY).digest('hex');
  async function scaleOn({ name, env, store }: OnStore) {
    const bot = await startBot(name, {
      ...common,
      API_KEY_HASHES: `${TEAM_ID}:${keyHash}`,
      ...env,
    });
    try {
      return await measureStoreScale(bot, okta, {
        store,
        sizes: SETTINGS.scaleSizes,
        maxCalls: SETTINGS.scaleMaxCalls,
        budgetMs: SETTINGS.scaleBudgetMs,
        oktaUserId,
        log,
      });
    } finally {
      await bot.stop();
    }
  }

  // Called only for workloads with PostgreSQL rows: the server is always wanted here.
  const postgres = await openBenchPostgres();
  /** Runs `work` with a database of its own on the PostgreSQL server, dropped after. */
  async function onPostgres<T>(label: string, work: (databaseUrl: string) => Promise<T>) {
    if (!postgres) return null;
    const databaseUrl = await postgres.createDatabase(label);
    try {
      return await work(databaseUrl);
    } finally {
      await postgres.dropDatabase(databaseUrl);
    }
  }

  /**
   * `measure` with the bot on SQLite, then on PostgreSQL (null without a usable server);
   * `workload` names the bots (`bot-sweep`, `bot-sweep-pg`) and the PostgreSQL database.
   */
  async function onEachStore<T>(
    workload: string,
    title: string,
    measure: (on: OnStore) => Promise<T>,
  ): Promise<[T, T | null]> {
    log(`${title} SQLite`);
    const sqlite = await measure({ name: `bot-${workload}`, env: {}, store: 'SQLite' });
    log(`${title} PostgreSQL`);
    const pg = await onPostgres(workload, (url) =>
      measure({ name: `bot-${workload}-pg`, env: { DATABASE_URL: url }, store: 'PostgreSQL' }),
    );
    return [sqlite, pg];
  }

  if (only.has('journeys')) {
    const [sqlite, pg] = await onEachStore('journeys', '3. full connect journeys,', journeysOn);
    current.journeys = sqlite;
    current.journeysPostgres = pg ?? [];
  }

  if (only.has('sweep')) {
    [current.sweep, current.sweepPostgres] = await onEachStore(
      'sweep',
      '4. health sweep, 6. memory:',
      sweepOn,
    );
  }

  if (only.has('replicas')) {
    log(`7. ${SETTINGS.replicas} replicas sweeping together on PostgreSQL`);
    current.replicas = await onPostgres('replicas', async (url) => {
      const replicas = [];
      for (let i = 0; i < SETTINGS.replicas; i += 1) {
        replicas.push(await startBot(`bot-replica-${i + 1}`, { ...common, DATABASE_URL: url }));
      }
      try {
        const { userId } = await okta.call<{ userId: string }>('addAdmin', {
          login: 'replicas@acme.example',
        });
        return await measureReplicaSweep(replicas, okta, slack, {
          connections: SETTINGS.replicaConnections,
          oktaUserId: userId,
          log,
        });
      } finally {
        for (const replica of replicas) await replica.stop();
      }
    });
  }

  if (only.has('scale')) {
    const [sqlite, pg] = await onEachStore('scale', '5. scale of the store:', scaleOn);
    current.scale = sqlite;
    current.scalePostgres = pg ?? [];
  }
  await okta.stop();
}

/** `--only`: the committed results with this run's workloads put in place of theirs. */
function mergeWithCommitted() {
  const path = join(ROOT, 'bench', 'results.json');
  if (!existsSync(path)) return;
  const merged = mergeResults(JSON.parse(readFileSync(path, 'utf8')) as Results, results, [
    ...only,
  ]);
  Object.assign(results, merged);
  log(`\n--only: ${[...only].join(', ')} replaced in bench/results.json; the rest is kept`);
}

function writeOutputs() {
  writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const docPath = join(ROOT, 'docs', 'benchmarks.md');
  const previous = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '';
  const kept = previous.includes(KEPT_MARKER)
    ? previous.slice(previous.indexOf(KEPT_MARKER))
    : `${KEPT_MARKER}\n`;
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  writeFileSync(docPath, `${renderMarkdown(results)}\n${kept}`);
}

// Children run in process groups of their own, out of reach of the terminal's Ctrl-C.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

let slack = null as SlackPeer | null;
let failed = false;
let benchPg = null as BenchPostgres | null;

/** The PostgreSQL server, once: null, with a printed note, when it cannot be used. */
async function openBenchPostgres(): Promise<BenchPostgres | null> {
  const found = await benchPostgres(PG_ADMIN_URL);
  if (found.ok) {
    log(`PostgreSQL: ${found.postgres.server} at ${redactDatabaseUrl(PG_ADMIN_URL)}`);
    current.postgres = { server: found.postgres.server };
    benchPg = found.postgres;
    return benchPg;
  }
  const note = `PostgreSQL is not reachable at ${redactDatabaseUrl(PG_ADMIN_URL)} (${found.reason}): the PostgreSQL rows (journeys, sweep, replicas) are skipped; --pg-url or BENCH_DATABASE_URL names another server`;
  log(`\nNOTE: ${note}\n`);
  current.postgres = { skipped: note };
  return null;
}

/** Every workload asked for, on this process's Node, into `current`. */
async function onThisRuntime() {
  // The workloads of journeysSweepAndScale: the bot with the Okta peer and PostgreSQL.
  const onTheBot = ['journeys', 'sweep', 'scale', 'replicas'].some((name) => only.has(name));
  if (only.has('startup') || onTheBot) {
    slack = await startSlackPeer({
      botToken: BOT_TOKEN,
      teamId: TEAM_ID,
      users: SLACK_USERS,
      channels: SLACK_CHANNELS,
      recordCalls: false,
    });
  }
  if (slack && only.has('startup')) await startup(slack.apiUrl);
  if (only.has('slash') || only.has('submit')) {
    log('1–2. slash command and modal submission: okta-connect vs bare Bolt vs raw node:http');
    const cannon = await startChild('autocannon', 'bench/load/cannon.ts', { logDir });
    await loadComparisons(cannon);
    await cannon.stop();
  }
  if (slack && onTheBot) await journeysSweepAndScale(slack);
}

try {
  log(`okta-connect benchmarks, ${machineLine({ ...results, runtimes: [current] })}`);
  if (flags.emit) {
    await onThisRuntime();
    writeFileSync(flags.emit, JSON.stringify(current));
  } else {
    for (const major of runtimeMajors) {
      if (major === OWN_MAJOR) {
        await onThisRuntime();
        results.runtimes.push(current);
      } else {
        results.runtimes.push(onOtherRuntime(major));
      }
    }
    // A partial run replaces its own workloads' figures and keeps every other as it was.
    if (flags.only) mergeWithCommitted();
    writeOutputs();
    log(`\n${renderMarkdown(results)}`);
  }
} catch (error) {
  failed = true;
  log(`\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  log(`logs of every process are kept in ${logDir}`);
  process.exitCode = 1;
} finally {
  killAll();
  await slack?.close();
  await benchPg?.dropAll().catch((error: unknown) => {
    log(`could not drop the bench's PostgreSQL databases: ${(error as Error).message}`);
  });
  if (!failed) rmSync(work, { recursive: true, force: true });
}
