import { randomBytes } from 'node:crypto';
import type { Connection } from '../db/connectionsRepo.ts';
import type { RateGate } from '../okta/rateGate.ts';
import { requestContext } from '../requestContext.ts';
import type { FlowDeps } from './deps.ts';
import { mapLimited } from './mapLimited.ts';
import {
  CHECK_AT_LEAST_EVERY_MS,
  describeFailure,
  REFRESH_BEFORE_EXPIRY_MS,
  type RefreshOutcome,
  refreshConnection,
} from './refreshConnection.ts';

export interface SweepOptions {
  /** Identifies this process in leases; unique per process. */
  owner: string;
  gate: RateGate;
  /** Connections refreshed at once across all orgs (each org is also held by the gate). */
  concurrency?: number;
  /** Connections read from the database per round. */
  batchSize?: number;
  /** Retries of a retryable failure (network, 5xx, 429) within one sweep. */
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Stops taking new connections (shutdown); those under way finish. */
  signal?: AbortSignal;
  /** Told about every connection that needs an admin now. */
  onNeedsReauth?: (connection: Connection, code: string) => Promise<void> | void;
  /** Told how each scheduled sweep went and how long it took (seconds). */
  onReport?: (report: SweepReport, seconds: number) => void;
}

export interface SweepReport {
  seen: number;
  refreshed: number;
  rotated: number;
  fresh: number;
  busy: number;
  needsReauth: number;
  failed: number;
  retries: number;
  skipped: number;
  expiredRequestsDeleted: number;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * One pass of the health sweep (design §5): every active connection whose access token
 * expires within 10 minutes or that was not checked for a day is refreshed, a bounded
 * number at a time and within each org's rate limit. Network errors, timeouts, 5xx and
 * 429 are retried with exponential backoff and jitter (after Okta's announced reset for
 * a 429) and never change the status; they are counted on the row.
 */
export async function runSweep(deps: FlowDeps, options: SweepOptions): Promise<SweepReport> {
  const report: SweepReport = {
    seen: 0,
    refreshed: 0,
    rotated: 0,
    fresh: 0,
    busy: 0,
    needsReauth: 0,
    failed: 0,
    retries: 0,
    skipped: 0,
    expiredRequestsDeleted: await deps.authRequests.deleteExpired(deps.now()),
  };
  // Remembered Slack answers and Home tab viewers past their time, in the same pass.
  await deps.deliveries.deleteExpired(deps.now());
  await deps.homeViewers.deleteExpired(deps.now());
  const concurrency = options.concurrency ?? 16;
  const batchSize = options.batchSize ?? 500;
  const seen = new Set<string>();

  for (;;) {
    if (options.signal?.aborted) break;
    const due = (
      await deps.connections.listDueForRefresh(deps.now(), {
        expiringWithinMs: REFRESH_BEFORE_EXPIRY_MS,
        uncheckedForMs: CHECK_AT_LEAST_EVERY_MS,
        // Rows that failed earlier in this sweep stay due; read past them.
        limit: batchSize + seen.size,
      })
    ).filter((connection) => !seen.has(connection.id));
    if (due.length === 0) break;
    for (const connection of due) seen.add(connection.id);
    await mapLimited(
      due,
      concurrency,
      (connection) => sweepOne(deps, options, connection, report),
      () => options.signal?.aborted === true,
    );
    if (due.length < batchSize) break;
  }
  report.seen = seen.size;
  return report;
}

async function sweepOne(
  deps: FlowDeps,
  options: SweepOptions,
  connection: Connection,
  report: SweepReport,
) {
  const retries = options.retries ?? 3;
  const sleep = options.sleep ?? sleepFor;
  const random = options.random ?? Math.random;
  const gate = options.gate;
  const onOktaCall = async () => {
    await gate.acquire(connection.domain);
    return () => gate.release(connection.domain);
  };
  for (let attempt = 0; ; attempt += 1) {
    let outcome: RefreshOutcome;
    try {
      outcome = await refreshConnection(deps, connection, { owner: options.owner, onOktaCall });
    } catch (error) {
      deps.logger.error({ err: error, connectionId: connection.id }, 'refresh failed unexpectedly');
      report.failed += 1;
      return;
    }
    switch (outcome.kind) {
      case 'refreshed':
        report.refreshed += 1;
        if (outcome.rotated) report.rotated += 1;
        return;
      case 'fresh':
        report.fresh += 1;
        return;
      case 'busy':
        report.busy += 1;
        return;
      case 'skipped':
      case 'lease_lost':
        report.skipped += 1;
        return;
      case 'needs_reauth':
        report.needsReauth += 1;
        deps.logger.warn(
          { connectionId: connection.id, code: outcome.code },
          'connection needs reauthorization',
        );
        try {
          await options.onNeedsReauth?.(outcome.connection, outcome.code);
        } catch (error) {
          deps.logger.error(
            { err: error, connectionId: connection.id },
            'could not raise the alert',
          );
        }
        return;
      case 'failed': {
        if (!outcome.error.retryable || attempt >= retries || options.signal?.aborted) {
          report.failed += 1;
          await deps.connections.recordFailure(connection.id, describeFailure(outcome.error));
          deps.logger.warn(
            { connectionId: connection.id, code: outcome.error.code, attempts: attempt + 1 },
            'refresh failed; will try again next sweep',
          );
          return;
        }
        report.retries += 1;
        await sleep(backoff(options, attempt, random, outcome.error.details.resetAt, deps.now()));
      }
    }
  }
}

/**
 * Exponential backoff with full jitter, capped; after a 429 not before the reset Okta
 * announced, since an earlier try only spends more of the org's budget.
 */
export function backoff(
  options: Pick<SweepOptions, 'baseDelayMs' | 'maxDelayMs'>,
  attempt: number,
  random: () => number,
  resetAt: unknown,
  now: number,
): number {
  const base = options.baseDelayMs ?? 1000;
  const cap = options.maxDelayMs ?? 30_000;
  const exponential = Math.min(cap, base * 2 ** attempt);
  const jittered = Math.floor(exponential / 2 + random() * (exponential / 2));
  const untilReset = typeof resetAt === 'number' ? resetAt - now : 0;
  return Math.max(jittered, Math.min(untilReset, 60_000));
}

export interface HealthScheduler {
  /** Runs a sweep now (unless one is running) and resolves with its report. */
  runNow(): Promise<SweepReport | null>;
  /** Stops scheduling; waits (at most `graceMs`) for a running sweep to finish its step. */
  stop(graceMs?: number): Promise<void>;
  running(): boolean;
}

/** Runs `runSweep` every `intervalMs`, one sweep at a time in this process. */
export function startHealthScheduler(
  deps: FlowDeps,
  options: Omit<SweepOptions, 'signal'> & { intervalMs: number },
): HealthScheduler {
  const controller = new AbortController();
  let current: Promise<SweepReport | null> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const runNow = (): Promise<SweepReport | null> => {
    if (current) return current;
    const started = performance.now();
    const jobId = `sweep-${randomBytes(6).toString('hex')}`;
    current = requestContext
      .run({ jobId }, () => runSweep(deps, { ...options, signal: controller.signal }))
      .then((report) => {
        requestContext.run({ jobId }, () =>
          deps.logger.info({ sweep: report }, 'health sweep done'),
        );
        options.onReport?.(report, (performance.now() - started) / 1000);
        return report;
      })
      .catch((error: unknown) => {
        deps.logger.error({ err: error }, 'health sweep failed');
        return null;
      })
      .finally(() => {
        current = null;
      });
    return current;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void runNow().finally(schedule);
    }, options.intervalMs);
    timer.unref();
  };
  schedule();
  return {
    runNow,
    running: () => !stopped,
    async stop(graceMs = 10_000) {
      stopped = true;
      if (timer) clearTimeout(timer);
      controller.abort();
      if (current) await Promise.race([current, sleepFor(graceMs)]);
    },
  };
}
