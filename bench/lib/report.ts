import type { Comparison, IdleRss, Point } from '../workloads/compareWithBolt.ts';
import type { SweepResults } from '../workloads/healthSweep.ts';
import type { JourneyResult } from '../workloads/journeys.ts';
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
}

export interface Results {
  date: string;
  machine: Machine;
  settings: Record<string, unknown>;
  targets: typeof TARGETS;
  runtimes: RuntimeResults[];
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

function journeyTable(rows: readonly JourneyResult[]): string {
  return table(
    ['concurrent journeys', 'journeys', 'seconds', 'journeys/s', 'p50 ms', 'p99 ms'],
    rows.map((r) => [
      String(r.concurrency),
      String(r.journeys),
      String(r.seconds),
      String(r.perSecond),
      String(r.p50),
      String(r.p99),
    ]),
  );
}

function sweepTable(sweep: SweepResults): string {
  const { unlimited: u, limited: l } = sweep;
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
        'no rate limit',
        String(u.connections),
        String(u.seconds),
        String(u.refreshed),
        String(u.perSecond),
        String(u.rateLimited),
        String(u.statusChanges),
        `all ${sweep.seeded} seeded connections`,
      ],
      [
        `${l.limitPerMinute} requests/min on /oauth2/v1/token`,
        String(l.connections),
        String(l.seconds),
        String(l.refreshed),
        String(l.perSecond),
        String(l.rateLimited),
        String(l.statusChanges),
        `subset, bounded at ${l.boundSeconds} s: all ${sweep.seeded} would take over ${Math.ceil(sweep.seeded / l.limitPerMinute)} min`,
      ],
    ],
  );
}

function scaleTable(points: readonly ScalePoint[]): string {
  return table(
    [
      'connections',
      'database',
      'list p50 / p99 ms (calls)',
      'Home render p50 / p99 ms (calls)',
      'token endpoint p50 / p99 ms (calls)',
    ],
    points.map((p) => [
      String(p.connections),
      mb(p.databaseBytes),
      `${lat(p.list)} (${p.list.calls})`,
      `${lat(p.home)} (${p.home.calls})`,
      `${lat(p.token)} (${p.token.calls})`,
    ]),
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
    ],
    runtimes.flatMap((runtime) =>
      runtime.startup.map((s) => [
        runtime.node,
        `\`${s.command}\` (${s.variant})`,
        `${s.toHealthzMs.median} (${s.toHealthzMs.min}–${s.toHealthzMs.max})`,
        mb(s.idleRssBytes.bot),
        mb(s.idleRssBytes.all),
      ]),
    ),
  );
}

function memoryTable(sweep: SweepResults): string {
  const m = sweep.memory;
  const row = (label: string, at: { rssBytes: number; heapAfterGcBytes: number }) => [
    label,
    mb(at.rssBytes),
    mb(at.heapAfterGcBytes),
  ];
  return table(
    ['bot process', 'RSS', 'heap in use after a full GC'],
    [
      row('idle, just started', m.idle),
      row(`after seeding ${sweep.seeded} connections`, m.afterSeed),
      row(`after the sweep of ${sweep.seeded}`, m.afterSweep),
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
    '## How to run',
    '',
    '```sh',
    'npm run bench                          # everything on this Node, about eight minutes',
    'npm run bench -- --node=20,22,24,26    # on each runtime (a clean install each), over 40 minutes',
    'npm run bench -- --only=slash,submit   # or startup, journeys, sweep, scale; prints only',
    'npm run bench -- --seconds=8           # longer load points (default 4)',
    'npm run bench -- --profile             # CPU profile of the bot under load, top self time',
    '```',
    '',
    'It writes `bench/results.json` and the part of this file above the hand-written notes.',
    "`--node` takes majors of the machine's Node and of `scripts/ci/node-versions`: each other",
    'runtime measures in a clean copy of the project with its own `npm ci`',
    '(`scripts/ci/in-clean-copy.sh`), so native modules are built for it.',
    'Every server runs in its own process on 127.0.0.1: okta-connect (`createBot`, SQLite file,',
    '`LOG_LEVEL=warn`, `ADMIN_USER_IDS` unset so permission comes from users.info and its',
    'cache), a bare Bolt app, raw `node:http`, the Slack stand-in (one per server, lenient',
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
    runtime.sweep !== null;
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
      `Idle RSS before the load (both servers under tsx's loader): okta-connect ${mb(idle.oursBytes)}, bare Bolt ${mb(idle.bareBytes)}, ratio ${idle.ratio.toFixed(2)} ${verdict(idle.ratio <= TARGETS.idleRssRatioMax)} (≤ ${TARGETS.idleRssRatioMax}).`,
      '',
    );
  }
  if (runtime.journeys.length > 0) {
    parts.push(
      '### 3. Full connect journeys',
      '',
      'Command → org step → details → permissions → setup link DM → setup page with the secret → Okta `/authorize` (auto sign-in) → callback → stored; timed per journey.',
      '',
      journeyTable(runtime.journeys),
      '',
    );
  }
  if (runtime.sweep) {
    parts.push(
      '### 4. Health sweep',
      '',
      sweepTable(runtime.sweep),
      '',
      '### 6. Memory',
      '',
      memoryTable(runtime.sweep),
      '',
    );
  }
  if (runtime.scale.length > 0) {
    parts.push(
      '### 5. Scale of the store',
      '',
      'Every connection in one workspace (the worst case for its list and Home tab).',
      '',
      scaleTable(runtime.scale),
      '',
    );
  }
  return parts;
}
