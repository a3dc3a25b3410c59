import type { SweepReport } from '../../src/flows/healthSweep.ts';
import type { TokenResponse } from '../../test/peers/okta/index.ts';
import type { Child } from '../lib/children.ts';
import { TEAM_ID } from '../lib/fixtures.ts';
import { round } from '../lib/stats.ts';

export interface SweepRun {
  connections: number;
  seconds: number;
  refreshed: number;
  perSecond: number;
  failed: number;
  needsReauth: number;
  /** 429s the Okta peer sent during the run. */
  rateLimited: number;
  /** Connections whose status is no longer `active` after the run. */
  statusChanges: number;
}

export interface SweepResults {
  seeded: number;
  seedSeconds: number;
  unlimited: SweepRun;
  /**
   * A bounded run of a subset under the peer's limit on /oauth2/v1/token; null when not
   * run (on PostgreSQL: it measures the rate gate, which does not depend on the store).
   */
  limited: (SweepRun & { limitPerMinute: number; boundSeconds: number }) | null;
  /** RSS at each moment, and the heap still in use after a full GC then. */
  memory: Record<
    'idle' | 'afterSeed' | 'afterSweep',
    { rssBytes: number; heapAfterGcBytes: number }
  >;
}

export type OktaStats = {
  rateLimited: number;
  tokenRequests: number;
  tokenOk: number;
  tokenInvalidGrant: number;
};
type Memory = { rss: number; heapUsedAfterGc: number };

export interface SweepOptions {
  connections: number;
  /** How many connections the rate-limited run makes due: more than one window holds. */
  limitedConnections: number;
  limitPerMinute: number;
  boundSeconds: number;
  /** Skips the rate-limited run (`limited` is then null). */
  skipLimited?: boolean;
  oktaUserId: string;
  log: (line: string) => void;
}

const BATCH = 500;

const memoryOf = (m: Memory) => ({ rssBytes: m.rss, heapAfterGcBytes: m.heapUsedAfterGc });

/**
 * `connections` active connections, each with a token family of its own from the peer:
 * the seconds it took, logged.
 */
export async function seedWithRealTokens(
  bot: Child<unknown>,
  okta: Child<unknown>,
  options: {
    connections: number;
    oktaUserId: string;
    prefix?: string;
    log: (line: string) => void;
  },
): Promise<number> {
  const started = performance.now();
  // The peer issues the next batch while the bot stores this one.
  const issue = () =>
    okta.call<TokenResponse[]>('issueTokens', { count: BATCH, userId: options.oktaUserId });
  let pending = issue();
  for (let from = 0; from < options.connections; from += BATCH) {
    const tokens = await pending;
    if (from + BATCH < options.connections) pending = issue();
    await bot.call('seed', {
      teamId: TEAM_ID,
      prefix: options.prefix ?? 'sweep',
      from,
      tokens: tokens.slice(0, options.connections - from),
      oktaUserId: options.oktaUserId,
    });
  }
  const seconds = round((performance.now() - started) / 1000, 1);
  options.log(`  seeded ${options.connections} connections in ${seconds} s`);
  return seconds;
}

/** How many connections the bot's store holds as `active`. */
export async function activeCount(bot: Child<unknown>): Promise<number> {
  return (await bot.call<Record<string, number>>('statusCounts')).active ?? 0;
}

async function sweepOnce(
  bot: Child<unknown>,
  okta: Child<unknown>,
  connections: number,
  timeoutMs: number,
): Promise<SweepRun> {
  const before = await okta.call<OktaStats>('stats');
  const activeBefore = await activeCount(bot);
  const { report, seconds } = await bot.call<{ report: SweepReport; seconds: number }>('sweep', {
    timeoutMs,
  });
  const after = await okta.call<OktaStats>('stats');
  const activeAfter = await activeCount(bot);
  return {
    connections,
    seconds: round(seconds),
    refreshed: report.refreshed,
    perSecond: round(report.refreshed / seconds, 1),
    failed: report.failed,
    needsReauth: report.needsReauth,
    rateLimited: after.rateLimited - before.rateLimited,
    statusChanges: activeBefore - activeAfter,
  };
}

async function limitedSweep(bot: Child<unknown>, okta: Child<unknown>, options: SweepOptions) {
  await okta.call('setTokenRateLimit', {
    limit: { limit: options.limitPerMinute, windowSeconds: 60 },
  });
  await bot.call('makeDue', { limit: options.limitedConnections });
  const limited = await sweepOnce(
    bot,
    okta,
    options.limitedConnections,
    options.boundSeconds * 1000,
  );
  await okta.call('setTokenRateLimit', { limit: null });
  options.log(
    `  sweep, ${options.limitPerMinute}/min: ${limited.refreshed} refreshed in ${limited.seconds} s, ${limited.rateLimited} × 429, ${limited.statusChanges} status changes`,
  );
  return limited;
}

/**
 * Workloads 4 and 6: the bot's memory idle; 10,000 active connections with real refresh
 * tokens from the Okta peer; a sweep of all of them with no rate limit; memory after it;
 * then, with the peer limiting /oauth2/v1/token, a bounded sweep of a subset (the full
 * 10,000 at 1,200 a minute would take over eight minutes).
 */
export async function measureSweep(
  bot: Child<unknown>,
  okta: Child<unknown>,
  options: SweepOptions,
): Promise<SweepResults> {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idle = await bot.call<Memory>('memory');

  const seedSeconds = await seedWithRealTokens(bot, okta, options);
  const afterSeed = await bot.call<Memory>('memory');

  // Just issued, every token has an hour left: make them all due, as an hour later.
  await bot.call('makeDue', { limit: options.connections });
  const unlimited = await sweepOnce(bot, okta, options.connections, 600_000);
  const afterSweep = await bot.call<Memory>('memory');
  options.log(
    `  sweep, no limit: ${unlimited.refreshed} refreshed in ${unlimited.seconds} s (${unlimited.perSecond}/s)`,
  );

  const limited = options.skipLimited ? null : await limitedSweep(bot, okta, options);

  return {
    seeded: options.connections,
    seedSeconds,
    unlimited,
    limited: limited && {
      ...limited,
      limitPerMinute: options.limitPerMinute,
      boundSeconds: options.boundSeconds,
    },
    memory: {
      idle: memoryOf(idle),
      afterSeed: memoryOf(afterSeed),
      afterSweep: memoryOf(afterSweep),
    },
  };
}
