import type { Comparison, IdleRss, Point } from '../workloads/compareWithBolt.ts';
import type { SweepResults } from '../workloads/healthSweep.ts';
import type { JourneyResult } from '../workloads/journeys.ts';
import type { ReplicaSweepResults, ReplicaSweepRun } from '../workloads/replicaSweep.ts';
import { STARTUP_IDLE_MS, type StartupVariant } from '../workloads/startup.ts';
import type { ScalePoint } from '../workloads/storeScale.ts';

/** Issue 12 §3's targets against bare Bolt, per workload, at every concurrency. */
export const TARGETS = {
  slash_command: { throughputRatioMin: 0.95, p99RatioMax: 1.1 },
  modal_submission: { throughputRatioMin: 0.85, p99RatioMax: 1.25 },
  idleRssRatioMax: 1.3,
} as const;

export interface Machine {
  cpuModel: string;
  cpuCount: number;
  totalMemoryBytes: number;
  platform: string;
}

/** Every workload measured on one Node.js runtime (`--node`). */
export interface RuntimeResults {
  node: string;
  startup: StartupVariant[];
  comparisons: Comparison[];
  /** The load servers' memory before the load (absent in results written before issue 12 §3). */
  idleRss?: IdleRss | null;
  journeys: JourneyResult[];
  sweep: SweepResults | null;
  scale: ScalePoint[];
  /** The same journeys with the bot on PostgreSQL (absent in results older than issue 10). */
  journeysPostgres?: JourneyResult[];
  /** The store-scale workload with the bot on PostgreSQL (absent before issue 12 §4). */
  scalePostgres?: ScalePoint[];
  /** The same sweep on PostgreSQL, without the rate-limited run. */
  sweepPostgres?: SweepResults | null;
  /** Several bot processes on one PostgreSQL database sweeping together (issue 10). */
  replicas?: ReplicaSweepResults | null;
  /** The server those ran on, or why they were skipped. */
  postgres?: { server: string } | { skipped: string };
}

export interface Results {
  date: string;
  machine: Machine;
  settings: Record<string, unknown>;
  targets: typeof TARGETS;
  runtimes: RuntimeResults[];
  /** `--only` runs since `date`: which workloads each replaced. */
  updates?: { date: string; workloads: string[]; machine?: string }[];
}

/** The fields of RuntimeResults each `--only` workload writes. */
const FIELDS_OF: Record<string, (keyof RuntimeResults)[]> = {
  startup: ['startup'],
  // Read as the load servers start, for either comparison; the rows themselves are merged
  // by COMPARISON_OF.
  slash: ['idleRss'],
  submit: ['idleRss'],
  journeys: ['journeys', 'journeysPostgres', 'postgres'],
  sweep: ['sweep', 'sweepPostgres', 'postgres'],
  scale: ['scale', 'scalePostgres', 'postgres'],
  replicas: ['replicas', 'postgres'],
};
const COMPARISON_OF: Record<string, Comparison['workload']> = {
  slash: 'slash_command',
  submit: 'modal_submission',
};

/**
 * The committed results with the workloads of a `--only` run put in place of theirs, on
 * the runtime of the same Node version (or major); every other figure stays as it was.
 */
export function mergeResults(previous: Results, fresh: Results, workloads: string[]): Results {
  const major = (node: string) => node.split('.')[0];
  const runtimes = previous.runtimes.map((runtime) => ({ ...runtime }));
  for (const ran of fresh.runtimes) {
    const kept =
      runtimes.find((runtime) => runtime.node === ran.node) ??
      runtimes.find((runtime) => major(runtime.node) === major(ran.node));
    if (!kept) {
      runtimes.push(ran);
      continue;
    }
    const target = kept as unknown as Record<string, unknown>;
    for (const workload of workloads) {
      for (const field of FIELDS_OF[workload] ?? []) target[field] = ran[field];
    }
    const replaced = workloads.flatMap((w) => (COMPARISON_OF[w] ? [COMPARISON_OF[w]] : []));
    if (replaced.length > 0) {
      kept.comparisons = [
        ...kept.comparisons.filter((row) => !replaced.includes(row.workload)),
        ...ran.comparisons.filter((row) => replaced.includes(row.workload)),
      ].sort(
        (a, b) =>
          Object.keys(WORKLOAD_TITLE).indexOf(a.workload) -
            Object.keys(WORKLOAD_TITLE).indexOf(b.workload) || a.concurrency - b.concurrency,
      );
    }
  }
  const run = lastRun(fresh);
  return {
    ...previous,
    settings: { ...previous.settings, ...fresh.settings },
    targets: fresh.targets,
    runtimes,
    updates: [
      ...(previous.updates ?? []),
      {
        date: run.date,
        workloads,
        ...(run.machine === machineName(previous.machine) ? {} : { machine: run.machine }),
      },
    ],
  };
}

const machineName = (m: Machine) => `${m.cpuModel} × ${m.cpuCount}, ${m.platform}`;

/**
 * When and where the newest figures of `results` were measured: its last `--only` update
 * (on the machine of `date` unless it names another), or the run of `date` itself.
 */
function lastRun(results: Results): { date: string; machine: string } {
  const last = results.updates?.at(-1);
  return {
    date: last?.date ?? results.date,
    machine: last?.machine ?? machineName(results.machine),
  };
}

/** Where the hand-written part of docs/benchmarks.md starts; a run keeps what follows. */
export const KEPT_MARKER = '<!-- Written by hand below this line: `npm run bench` keeps it. -->';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const verdict = (ok: boolean) => (ok ? 'pass' : '**miss**');
const lat = (p: { p50: number; p99: number }) => `${p.p50} / ${p.p99}`;
const rps = (p: Point | undefined) => (p ? String(p.rps) : '–');

export function passes(row: Comparison): { throughput: boolean; p99: boolean } {
  return {
    throughput: row.throughputRatio >= TARGETS[row.workload].throughputRatioMin,
    p99: row.p99Ratio <= TARGETS[row.workload].p99RatioMax,
  };
}

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

const WORKLOAD_TITLE: Record<Comparison['workload'], string> = {
  slash_command: '1. `/okta-connect` (ack + views.open)',
  modal_submission: '2. details step submission (push)',
};

export function comparisonTable(rows: readonly Comparison[]): string {
  return table(
    [
      'workload',
      'conns',
      'ours req/s',
      'bare req/s',
      'raw req/s',
      'throughput ratio (target)',
      'ours p50 / p99 ms',
      'bare p50 / p99 ms',
      'raw p50 / p99 ms',
      'p99 ratio (target)',
      'CPU µs/request ours / bare',
    ],
    rows.map((row) => {
      const ok = passes(row);
      return [
        WORKLOAD_TITLE[row.workload],
        String(row.concurrency),
        rps(row.ours),
        rps(row.bare),
        rps(row.raw),
        `${row.throughputRatio.toFixed(2)} ${verdict(ok.throughput)} (≥ ${TARGETS[row.workload].throughputRatioMin})`,
        lat(row.ours),
        lat(row.bare),
        row.raw ? lat(row.raw) : '–',
        `${row.p99Ratio.toFixed(2)} ${verdict(ok.p99)} (≤ ${TARGETS[row.workload].p99RatioMax})`,
        `${row.ours.cpuUsPerRequest} / ${row.bare.cpuUsPerRequest} (${row.cpuRatio.toFixed(2)}×)`,
      ];
    }),
  );
}

/** `pg / sqlite`, two decimals; '–' without both. */
const ratio = (pg: number | undefined, sqlite: number | undefined) =>
  pg === undefined || sqlite === undefined || sqlite === 0 ? '–' : (pg / sqlite).toFixed(2);

function journeyTable(sqlite: readonly JourneyResult[], pg: readonly JourneyResult[] = []): string {
  const rows = [
    ...sqlite.map((r) => ['SQLite', r] as const),
    ...pg.map((r) => ['PostgreSQL', r] as const),
  ];
  return table(
    ['store', 'concurrent journeys', 'journeys', 'seconds', 'journeys/s', 'p50 ms', 'p99 ms'],
    rows.map(([store, r]) => [
      store,
      String(r.concurrency),
      String(r.journeys),
      String(r.seconds),
      String(r.perSecond),
      String(r.p50),
      String(r.p99),
    ]),
  );
}

function journeyRatioTable(sqlite: readonly JourneyResult[], pg: readonly JourneyResult[]) {
  return table(
    [
      'concurrent journeys',
      'journeys/s PostgreSQL / SQLite',
      'p50 PostgreSQL / SQLite',
      'p99 PostgreSQL / SQLite',
    ],
    pg.map((p) => {
      const s = sqlite.find((row) => row.concurrency === p.concurrency);
      return [
        String(p.concurrency),
        ratio(p.perSecond, s?.perSecond),
        ratio(p.p50, s?.p50),
        ratio(p.p99, s?.p99),
      ];
    }),
  );
}

function sweepTable(sweep: SweepResults, pg: SweepResults | null = null): string {
  const { unlimited: u, limited: l } = sweep;
  const pgRows = pg
    ? [
        [
          'PostgreSQL, no rate limit',
          String(pg.unlimited.connections),
          String(pg.unlimited.seconds),
          String(pg.unlimited.refreshed),
          String(pg.unlimited.perSecond),
          String(pg.unlimited.rateLimited),
          String(pg.unlimited.statusChanges),
          `all ${pg.seeded} seeded connections (seeded in ${pg.seedSeconds} s; SQLite ${sweep.seedSeconds} s)`,
        ],
      ]
    : [];
  const limitedRows = l
    ? [
        [
          `${pg ? 'SQLite, ' : ''}${l.limitPerMinute} requests/min on /oauth2/v1/token`,
          String(l.connections),
          String(l.seconds),
          String(l.refreshed),
          String(l.perSecond),
          String(l.rateLimited),
          String(l.statusChanges),
          `subset, bounded at ${l.boundSeconds} s: all ${sweep.seeded} would take over ${Math.ceil(sweep.seeded / l.limitPerMinute)} min`,
        ],
      ]
    : [];
  return table(
    [
      'run',
      'connections due',
      'wall time s',
      'refreshed',
      'refreshes/s',
      '429s',
      'status changes',
      'note',
    ],
    [
      [
        pg ? 'SQLite, no rate limit' : 'no rate limit',
        String(u.connections),
        String(u.seconds),
        String(u.refreshed),
        String(u.perSecond),
        String(u.rateLimited),
        String(u.statusChanges),
        `all ${sweep.seeded} seeded connections`,
      ],
      ...pgRows,
      ...limitedRows,
    ],
  );
}

function sweepRatioLine(sqlite: SweepResults, pg: SweepResults): string {
  return (
    `PostgreSQL / SQLite: sweep wall time ${ratio(pg.unlimited.seconds, sqlite.unlimited.seconds)}, ` +
    `refreshes/s ${ratio(pg.unlimited.perSecond, sqlite.unlimited.perSecond)}, ` +
    `seeding ${ratio(pg.seedSeconds, sqlite.seedSeconds)}.`
  );
}

function replicaTable(results: ReplicaSweepResults): string {
  const row = (run: ReplicaSweepRun) => [
    String(run.replicas),
    String(run.connections),
    String(run.seconds),
    `${run.refreshed} (${run.refreshedByReplica.join(' + ')})`,
    String(run.perSecond),
    `${run.fresh} / ${run.busy}`,
    String(run.peerRefreshes),
    `**${run.doubleRefreshes}**`,
    String(run.refreshTokensReused),
    String(run.familiesRevoked),
    `**${run.invalidGrant}**`,
    `**${run.alertsPosted}**`,
    String(run.statusChanges),
  ];
  return table(
    [
      'replicas',
      'connections due',
      'wall time s',
      'refreshed (by replica)',
      'refreshes/s',
      'fresh / busy',
      'refreshes at Okta',
      'double refreshes',
      'tokens reused',
      'families revoked',
      'invalid_grant',
      'alerts posted',
      'status changes',
    ],
    [row(results.single), row(results.replicated)],
  );
}

function replicaRatioLine(results: ReplicaSweepResults): string {
  const { single: one, replicated: many } = results;
  return (
    `${many.replicas} replicas / 1 replica: wall time ${ratio(many.seconds, one.seconds)}, ` +
    `refreshes/s ${ratio(many.perSecond, one.perSecond)}.`
  );
}

function scaleTable(points: readonly ScalePoint[], pgPoints: readonly ScalePoint[]): string {
  const row = (store: string) => (p: ScalePoint) => [
    store,
    String(p.connections),
    mb(p.databaseBytes),
    `${lat(p.list)} (${p.list.calls})`,
    `${lat(p.home)} (${p.home.calls})`,
    p.metrics ? `${lat(p.metrics)} (${p.metrics.calls})` : 'not measured',
    `${lat(p.token)} (${p.token.calls})`,
  ];
  return table(
    [
      'store',
      'connections',
      'database',
      'list p50 / p99 ms (calls)',
      'Home render p50 / p99 ms (calls)',
      '/metrics p50 / p99 ms (calls)',
      'token endpoint p50 / p99 ms (calls)',
    ],
    [...points.map(row('SQLite')), ...pgPoints.map(row('PostgreSQL'))],
  );
}

function startupTable(runtimes: readonly RuntimeResults[]): string {
  return table(
    [
      'Node',
      'started with',
      'to /healthz median ms (min–max)',
      'idle RSS bot',
      'idle RSS all processes',
      `idle RSS bot ÷ bare Bolt's (target for \`npm start\`: ≤ ${TARGETS.idleRssRatioMax})`,
    ],
    runtimes.flatMap((runtime) => {
      const bare = runtime.startup.find((s) => s.variant === 'bare');
      return runtime.startup.map((s) => [
        runtime.node,
        `\`${s.command}\` (${s.variant})`,
        `${s.toHealthzMs.median} (${s.toHealthzMs.min}–${s.toHealthzMs.max})`,
        mb(s.idleRssBytes.bot),
        mb(s.idleRssBytes.all),
        idleRatioToBare(s, bare),
      ]);
    }),
  );
}

/** A start command's idle RSS ÷ bare Bolt's of the same run; only `npm start` is judged. */
function idleRatioToBare(started: StartupVariant, bare: StartupVariant | undefined): string {
  if (!bare || started === bare) return '–';
  const ratio = started.idleRssBytes.bot / bare.idleRssBytes.bot;
  if (started.variant !== 'compiled') return ratio.toFixed(2);
  return `${ratio.toFixed(2)} ${verdict(ratio <= TARGETS.idleRssRatioMax)}`;
}

function memoryTable(sweep: SweepResults, pg: SweepResults | null = null): string {
  type At = keyof SweepResults['memory'];
  const row = (label: string, at: At) => [
    label,
    mb(sweep.memory[at].rssBytes),
    mb(sweep.memory[at].heapAfterGcBytes),
    ...(pg ? [mb(pg.memory[at].rssBytes), mb(pg.memory[at].heapAfterGcBytes)] : []),
  ];
  return table(
    pg
      ? [
          'bot process',
          'RSS SQLite',
          'heap after a full GC SQLite',
          'RSS PostgreSQL',
          'heap after a full GC PostgreSQL',
        ]
      : ['bot process', 'RSS', 'heap in use after a full GC'],
    [
      row('idle, just started', 'idle'),
      row(`after seeding ${sweep.seeded} connections`, 'afterSeed'),
      row(`after the sweep of ${sweep.seeded}`, 'afterSweep'),
    ],
  );
}

export function machineLine(results: Results): string {
  const m = results.machine;
  const nodes = results.runtimes.map((runtime) => runtime.node).join(', ');
  return `${m.cpuModel} × ${m.cpuCount}, ${mb(m.totalMemoryBytes)} RAM, ${m.platform}, Node ${nodes}`;
}

/** The generated part of docs/benchmarks.md (everything above KEPT_MARKER). */
export function renderMarkdown(results: Results): string {
  const parts = [
    '# Benchmarks',
    '',
    `Measured ${results.date} on ${machineLine(results)}. Shared, noisy machine: read the ratios, not the absolute figures; nothing here is asserted by the tests.`,
    '',
    ...(results.updates ?? []).flatMap((update) => [
      `Measured again ${update.date}${update.machine ? ` on ${update.machine}` : ''} (\`--only=${update.workloads.join(',')}\`): ${update.workloads.join(', ')}; the other figures are from the date above.`,
      '',
    ]),
    '## How to run',
    '',
    '```sh',
    'npm run bench                          # everything on this Node, about 18 minutes',
    'npm run bench -- --node=20,22,24,26    # on each runtime (a clean install each), about 75 minutes',
    'npm run bench -- --only=slash,submit   # or startup, journeys, sweep, scale, replicas',
    'npm run bench -- --pg-url=postgres://… # PostgreSQL server (or BENCH_DATABASE_URL)',
    'npm run bench -- --seconds=8           # longer load points (default 4)',
    'npm run bench -- --profile             # CPU profiles of the bot and bare Bolt under load, and their difference',
    '```',
    '',
    'It writes `bench/results.json` and the part of this file above the hand-written notes;',
    'with `--only` it replaces those workloads’ figures and keeps the others as they were.',
    'Journeys, sweep and replicas also run with the bot on PostgreSQL (`DATABASE_URL`), each',
    'in a database of its own that the bench creates and drops (`okta_connect_bench_<pid>_…`),',
    'on `postgres://postgres@127.0.0.1:5432` unless told otherwise; without a reachable server',
    'those rows are skipped with a note.',
    "`--node` takes majors of the machine's Node and of `scripts/ci/node-versions`: each other",
    'runtime measures in a clean copy of the project with its own `npm ci`',
    '(`scripts/ci/in-clean-copy.sh`), so native modules are built for it.',
    'Every server runs in its own process on 127.0.0.1: okta-connect (`createBot`, SQLite file,',
    '`LOG_LEVEL=warn`, `ADMIN_USER_IDS` unset so permission comes from users.info and its',
    'cache), a bare Bolt app (both built as `npm run build` builds the bot and run with plain',
    'node, as `npm start` runs it), raw `node:http`, the Slack stand-in (one per server, lenient',
    'trigger ids), the Okta peer, and autocannon, which replays requests signed just before',
    'each run. Each load point is a 1 s warm-up then the measured seconds; ours and bare run',
    'twice in alternating order and the better round counts (other work on the machine only',
    'slows a round down). CPU µs/request is the server process’s own CPU time per request,',
    'work after the ack included: the figure least moved by a noisy neighbour.',
    '',
    `Targets (issue 12 §3) at every concurrency: \`/okta-connect\` throughput ≥ ${TARGETS.slash_command.throughputRatioMin}× bare Bolt and p99 ≤ ${TARGETS.slash_command.p99RatioMax}×; the details submission ≥ ${TARGETS.modal_submission.throughputRatioMin}× and p99 ≤ ${TARGETS.modal_submission.p99RatioMax}×; idle RSS ≤ ${TARGETS.idleRssRatioMax}× bare Bolt's.`,
    '',
  ];
  const started = results.runtimes.filter((runtime) => runtime.startup.length > 0);
  if (started.length > 0) {
    parts.push(
      '## Start-up: from `npm run …` to the first 200 from `/healthz`, and idle memory',
      '',
      'Before issue 12 `npm start` ran `tsx src/main.ts` (esbuild at run time; now `npm run dev`);',
      'now it runs the compiled `dist/`. Each through npm, against a migrated database (a',
      `restart), alternating; the median of the runs. Idle RSS is read ${STARTUP_IDLE_MS / 1000} s after \`/healthz\`: the`,
      "bot's node process, and every process the command keeps running (npm, sh, tsx's own).",
      'The bare Bolt app of the load comparisons, built as the bot is and started with node, is',
      "measured between them as the yardstick of the bot's idle memory.",
      '',
      startupTable(started),
      '',
    );
  }
  for (const runtime of results.runtimes) parts.push(...runtimeSections(runtime));
  return parts.join('\n');
}

/** The load, journey, sweep and scale tables of one runtime. */
function runtimeSections(runtime: RuntimeResults): string[] {
  const parts: string[] = [];
  const hasLoad =
    runtime.comparisons.length + runtime.journeys.length + runtime.scale.length > 0 ||
    runtime.sweep !== null ||
    runtime.replicas != null;
  if (hasLoad) parts.push(`## Node ${runtime.node}`, '');
  if (runtime.comparisons.length > 0) {
    parts.push(
      '### 1–2. okta-connect vs bare Bolt vs raw node:http',
      '',
      comparisonTable(runtime.comparisons),
      '',
    );
  }
  if (runtime.idleRss) {
    const idle = runtime.idleRss;
    parts.push(
      `Idle RSS before the load (both servers built as \`npm run build\` builds the bot, plain node): okta-connect ${mb(idle.oursBytes)}, bare Bolt ${mb(idle.bareBytes)}, ratio ${idle.ratio.toFixed(2)} ${verdict(idle.ratio <= TARGETS.idleRssRatioMax)} (≤ ${TARGETS.idleRssRatioMax}).`,
      '',
    );
  }
  const pgSkipped =
    runtime.postgres && 'skipped' in runtime.postgres ? runtime.postgres.skipped : null;
  const pgJourneys = runtime.journeysPostgres ?? [];
  const pgSweep = runtime.sweepPostgres ?? null;
  if (pgSkipped) parts.push(`**PostgreSQL rows skipped**: ${pgSkipped}.`, '');
  else if (runtime.postgres && 'server' in runtime.postgres) {
    parts.push(
      `PostgreSQL rows: ${runtime.postgres.server} on 127.0.0.1, the bot's pool of 10 connections.`,
      '',
    );
  }
  if (runtime.journeys.length > 0) {
    parts.push(
      '### 3. Full connect journeys',
      '',
      'Command → org step → details → permissions → setup link DM → setup page with the secret → Okta `/authorize` (auto sign-in) → callback → stored; timed per journey.',
      '',
      journeyTable(runtime.journeys, pgJourneys),
      '',
    );
    if (pgJourneys.length > 0) {
      parts.push(journeyRatioTable(runtime.journeys, pgJourneys), '');
    }
  }
  if (runtime.sweep) {
    parts.push('### 4. Health sweep', '', sweepTable(runtime.sweep, pgSweep), '');
    if (pgSweep) parts.push(sweepRatioLine(runtime.sweep, pgSweep), '');
    parts.push('### 6. Memory', '', memoryTable(runtime.sweep, pgSweep), '');
  }
  if (runtime.scale.length > 0) {
    parts.push(
      '### 5. Scale of the store',
      '',
      'Every connection in one workspace (the worst case for its list and Home tab).',
      '',
      scaleTable(runtime.scale, runtime.scalePostgres ?? []),
      '',
    );
  }
  if (runtime.replicas) {
    const r = runtime.replicas;
    parts.push(
      `### 7. ${r.replicated.replicas} replicas sweeping together on PostgreSQL`,
      '',
      `${r.seeded} connections (seeded in ${r.seedSeconds} s) made due, swept by one bot process, then made due again and swept by ${r.replicated.replicas} processes on the same database, each running its scheduled sweep (its own lease owner, alerts on) at the same moment. The Okta app rotates refresh tokens (${r.rotation}): a refresh token used twice is refused and revokes the connection. Counted at the Okta peer per token family: a family that minted two access tokens in one run is a double refresh.`,
      '',
      replicaTable(r),
      '',
      replicaRatioLine(r),
      '',
    );
  }
  return parts;
}
