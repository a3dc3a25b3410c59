import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { benchPostgres } from '../../bench/lib/postgres.ts';
import {
  mergeResults,
  type Results,
  type RuntimeResults,
  renderMarkdown,
  TARGETS,
} from '../../bench/lib/report.ts';
import type { Comparison } from '../../bench/workloads/compareWithBolt.ts';
import type { SweepResults } from '../../bench/workloads/healthSweep.ts';
import type { JourneyResult } from '../../bench/workloads/journeys.ts';
import type { ReplicaSweepRun } from '../../bench/workloads/replicaSweep.ts';
import type { StartupVariant } from '../../bench/workloads/startup.ts';
import { describePostgres } from '../db/testDatabase.ts';

/**
 * The bench's report: `--only` replaces its own workloads and keeps every other figure,
 * PostgreSQL rows come with their ratios to SQLite, and a missing server is a note.
 */
const journey = (concurrency: number, perSecond: number, p50: number): JourneyResult => ({
  concurrency,
  journeys: perSecond * 8,
  seconds: 8,
  perSecond,
  p50,
  p99: p50 * 2,
});

const memory = { rssBytes: 100 * 1024 * 1024, heapAfterGcBytes: 20 * 1024 * 1024 };
const sweepRun = (seconds: number) => ({
  connections: 10_000,
  seconds,
  refreshed: 10_000,
  perSecond: Math.round(10_000 / seconds),
  failed: 0,
  needsReauth: 0,
  rateLimited: 0,
  statusChanges: 0,
});
const sweep = (seconds: number, limited: boolean): SweepResults => ({
  seeded: 10_000,
  seedSeconds: 8,
  unlimited: sweepRun(seconds),
  limited: limited ? { ...sweepRun(60), limitPerMinute: 1200, boundSeconds: 90 } : null,
  memory: { idle: memory, afterSeed: memory, afterSweep: memory },
});
const replicaRun = (replicas: number, seconds: number, doubles: number): ReplicaSweepRun => ({
  replicas,
  connections: 10_000,
  seconds,
  refreshed: 10_000,
  refreshedByReplica: replicas === 1 ? [10_000] : [4000, 3000, 3000],
  perSecond: Math.round(10_000 / seconds),
  fresh: 0,
  busy: 0,
  skipped: 0,
  failed: 0,
  needsReauth: 0,
  peerRefreshes: 10_000 + doubles,
  doubleRefreshes: doubles,
  refreshTokensReused: 0,
  familiesRevoked: 0,
  notRefreshed: 0,
  invalidGrant: 0,
  alertsPosted: 0,
  statusChanges: 0,
});

function results(runtime: Partial<RuntimeResults>, date = '2026-11-28T15:19:41.642Z'): Results {
  return {
    date,
    machine: { cpuModel: 'AMD EPYC', cpuCount: 2, totalMemoryBytes: 2 ** 34, platform: 'linux' },
    settings: { journeySeconds: 8 },
    targets: TARGETS,
    runtimes: [
      {
        node: 'v20.20.2',
        startup: [],
        comparisons: [],
        journeys: [],
        sweep: null,
        scale: [],
        ...runtime,
      },
    ],
  };
}

const slashRow = (rps: number): Comparison => ({
  workload: 'slash_command',
  concurrency: 1,
  ours: { rps, p50: 1, p99: 2, cpuUsPerRequest: 600, failures: 0 },
  bare: { rps, p50: 1, p99: 2, cpuUsPerRequest: 500, failures: 0 },
  throughputRatio: 1,
  p99Ratio: 1,
  cpuRatio: 1.2,
});

describe('mergeResults (--only)', () => {
  it("replaces the workloads run, keeps the others' figures, and records the update", () => {
    const committed = results({
      comparisons: [slashRow(1590)],
      journeys: [journey(1, 42, 22)],
      sweep: sweep(12.8, true),
      scale: [{ connections: 10_000 } as RuntimeResults['scale'][number]],
    });
    const fresh = results(
      {
        journeys: [journey(1, 30, 30)],
        journeysPostgres: [journey(1, 20, 45)],
        sweep: sweep(20, true),
        sweepPostgres: sweep(30, false),
        replicas: {
          seeded: 10_000,
          seedSeconds: 20,
          rotation: 'ROTATE, 0 s grace period',
          single: replicaRun(1, 30, 0),
          replicated: replicaRun(3, 20, 0),
        },
        postgres: { server: 'PostgreSQL 15.20' },
      },
      '2026-12-05T16:00:00.000Z',
    );
    const merged = mergeResults(committed, fresh, ['journeys', 'sweep', 'replicas']);
    const [runtime] = merged.runtimes;
    expect(merged.date).toBe(committed.date);
    expect(merged.updates).toEqual([
      { date: '2026-12-05T16:00:00.000Z', workloads: ['journeys', 'sweep', 'replicas'] },
    ]);
    expect(runtime?.comparisons).toEqual(committed.runtimes[0]?.comparisons);
    expect(runtime?.scale).toEqual(committed.runtimes[0]?.scale);
    expect(runtime?.journeys).toEqual([journey(1, 30, 30)]);
    expect(runtime?.journeysPostgres).toEqual([journey(1, 20, 45)]);
    expect(runtime?.sweepPostgres?.unlimited.seconds).toBe(30);
    expect(runtime?.replicas?.replicated.replicas).toBe(3);
    // The committed object itself is left alone.
    expect(committed.runtimes[0]?.journeys).toEqual([journey(1, 42, 22)]);
  });

  it('replaces only the comparison rows of the workload run', () => {
    const submitRow: Comparison = { ...slashRow(2000), workload: 'modal_submission' };
    const committed = results({
      comparisons: [slashRow(1590), submitRow],
    });
    const fresh = results({ comparisons: [slashRow(1700)] });
    const [runtime] = mergeResults(committed, fresh, ['slash']).runtimes;
    expect(runtime?.comparisons.map((row) => [row.workload, row.ours.rps])).toEqual([
      ['slash_command', 1700],
      ['modal_submission', 2000],
    ]);
  });

  it('takes the idle RSS read with a comparison run, and keeps it for the other workloads', () => {
    const idle = (ratio: number) => ({ oursBytes: ratio * 100, bareBytes: 100, ratio });
    const committed = results({ comparisons: [slashRow(1590)], idleRss: idle(3) });
    const fresh = results({ comparisons: [slashRow(1700)], idleRss: idle(1.2) });
    expect(mergeResults(committed, fresh, ['slash']).runtimes[0]?.idleRss).toEqual(idle(1.2));
    const journeysOnly = results({ journeys: [journey(1, 30, 30)], idleRss: null });
    expect(mergeResults(committed, journeysOnly, ['journeys']).runtimes[0]?.idleRss).toEqual(
      idle(3),
    );
  });

  it('dates the update by the newest run of fresh results that were merged themselves', () => {
    const committed = results({ journeys: [journey(1, 42, 22)] });
    const fresh: Results = {
      ...results({ journeys: [journey(1, 30, 30)] }, '2026-12-01T10:00:00.000Z'),
      updates: [
        { date: '2026-12-05T16:00:00.000Z', workloads: ['journeys'], machine: 'Intel Xeon × 8' },
      ],
    };
    expect(mergeResults(committed, fresh, ['journeys']).updates).toEqual([
      { date: '2026-12-05T16:00:00.000Z', workloads: ['journeys'], machine: 'Intel Xeon × 8' },
    ]);
  });
});

describe('renderMarkdown of the start-up rows', () => {
  const MB = 2 ** 20;
  const started = (
    variant: StartupVariant['variant'],
    command: string,
    rssMb: number,
  ): StartupVariant => ({
    variant,
    command,
    runs: 5,
    toHealthzMs: { median: 900, min: 800, max: 1000 },
    idleRssBytes: { bot: rssMb * MB, all: rssMb * MB },
  });

  it('gives each start command’s idle RSS against bare Bolt’s, judged for npm start only', () => {
    const markdown = renderMarkdown(
      results({
        startup: [
          started('tsx', 'tsx src/main.ts', 160),
          started('compiled', 'node dist/main.js', 110),
          started('bare', 'node bareBolt.js', 100),
        ],
      }),
    );
    expect(markdown).toMatch(/\| `tsx src\/main\.ts` \(tsx\) \|.*\| 1\.60 \|/);
    expect(markdown).toMatch(/\| `node dist\/main\.js` \(compiled\) \|.*\| 1\.10 pass \|/);
    expect(markdown).toMatch(/\| `node bareBolt\.js` \(bare\) \|.*\| – \|/);
  });

  it('marks a miss, and shows no ratio for a run without bare Bolt', () => {
    const miss = renderMarkdown(
      results({
        startup: [started('compiled', 'node dist/main.js', 140), started('bare', 'b', 100)],
      }),
    );
    expect(miss).toMatch(/\(compiled\) \|.*\| 1\.40 \*\*miss\*\* \|/);
    const older = renderMarkdown(
      results({ startup: [started('compiled', 'node dist/main.js', 140)] }),
    );
    expect(older).toMatch(/\(compiled\) \|.*\| – \|/);
  });
});

describe('renderMarkdown with PostgreSQL rows', () => {
  it('shows PostgreSQL beside SQLite with the ratios, and 3 replicas against 1', () => {
    const markdown = renderMarkdown(
      results({
        journeys: [journey(1, 40, 20), journey(8, 80, 100)],
        journeysPostgres: [journey(1, 20, 40), journey(8, 60, 150)],
        sweep: sweep(10, true),
        sweepPostgres: sweep(25, false),
        replicas: {
          seeded: 10_000,
          seedSeconds: 20,
          rotation: 'ROTATE, 0 s grace period',
          single: replicaRun(1, 25, 0),
          replicated: replicaRun(3, 20, 2),
        },
        postgres: { server: 'PostgreSQL 15.20' },
      }),
    );
    expect(markdown).toContain('| PostgreSQL | 8 | 480 | 8 | 60 | 150 | 300 |');
    expect(markdown).toContain('| 1 | 0.50 | 2.00 | 2.00 |');
    expect(markdown).toContain('| 8 | 0.75 | 1.50 | 1.50 |');
    expect(markdown).toContain('PostgreSQL / SQLite: sweep wall time 2.50');
    expect(markdown).toContain('3 replicas / 1 replica: wall time 0.80, refreshes/s 1.25.');
    // Double refreshes are shown, not hidden.
    expect(markdown).toMatch(
      /\| 3 \| 10000 \| 20 \| 10000 \(4000 \+ 3000 \+ 3000\) \| .*\*\*2\*\*/,
    );
  });

  it('says why the PostgreSQL rows are missing when the server was not reachable', () => {
    const markdown = renderMarkdown(
      results({
        journeys: [journey(1, 40, 20)],
        journeysPostgres: [],
        postgres: { skipped: 'PostgreSQL is not reachable at postgres://x (refused)' },
      }),
    );
    expect(markdown).toContain('**PostgreSQL rows skipped**: PostgreSQL is not reachable');
    expect(markdown).not.toContain('PostgreSQL / SQLite');
  });
});

describe('benchPostgres', () => {
  it('gives the reason instead of failing when the server is not reachable', async () => {
    const found = await benchPostgres('postgres://postgres@127.0.0.1:1/postgres');
    expect(found.ok).toBe(false);
    if (!found.ok) expect(found.reason).toMatch(/ECONNREFUSED|connect/);
  });

  describePostgres('on the test server', () => {
    it('creates a database of its own and drops it', async () => {
      const found = await benchPostgres(inject('postgresUrl'));
      if (!found.ok) throw new Error(found.reason);
      const url = await found.postgres.createDatabase('report_test');
      expect(new URL(url).pathname).toBe(`/okta_connect_bench_${process.pid}_report_test`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.end();
      await found.postgres.dropAll();
      const admin = new pg.Client({ connectionString: inject('postgresUrl') });
      await admin.connect();
      try {
        const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [
          new URL(url).pathname.slice(1),
        ]);
        expect(left.rowCount).toBe(0);
      } finally {
        await admin.end();
      }
    });
  });
});
