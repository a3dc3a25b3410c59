import type { SweepReport } from '../../src/flows/healthSweep.ts';
import type { SlackPeer } from '../../test/peers/slack/index.ts';
import type { Child } from '../lib/children.ts';
import { round } from '../lib/stats.ts';
import { activeCount, type OktaStats, seedWithRealTokens } from './healthSweep.ts';

/** One sweep of every due connection by `replicas` bot processes on one PostgreSQL database. */
export interface ReplicaSweepRun {
  replicas: number;
  /** Connections made due before the run. */
  connections: number;
  /** From the moment every replica was told to sweep to the moment the last one finished. */
  seconds: number;
  /** Refreshes the replicas reported, all together, and each. */
  refreshed: number;
  refreshedByReplica: number[];
  perSecond: number;
  /** Found refreshed by another replica once its lease was taken (no call to Okta). */
  fresh: number;
  /** Held by another replica's lease when tried. */
  busy: number;
  skipped: number;
  failed: number;
  needsReauth: number;
  /** Counted at the Okta peer: successful refreshes (200s on /oauth2/v1/token). */
  peerRefreshes: number;
  /** Connections refreshed more than once in the run (their token family minted twice). */
  doubleRefreshes: number;
  /** Refresh tokens used again after their rotation (within the grace period). */
  refreshTokensReused: number;
  /** Token families Okta revoked during the run (reuse after the grace period). */
  familiesRevoked: number;
  /** Connections made due that no replica refreshed. */
  notRefreshed: number;
  /** 400 answers on /oauth2/v1/token (invalid_grant). */
  invalidGrant: number;
  /** chat.postMessage and chat.update calls to Slack during the run: alerts. */
  alertsPosted: number;
  /** Connections no longer `active` after the run. */
  statusChanges: number;
}

export interface ReplicaSweepResults {
  seeded: number;
  seedSeconds: number;
  /** The refresh-token policy of the Okta app during the runs. */
  rotation: string;
  /** The same connections swept by one replica, then by all of them together. */
  single: ReplicaSweepRun;
  replicated: ReplicaSweepRun;
}

export interface ReplicaSweepOptions {
  connections: number;
  /** An Okta admin of this workload's own, so its token families are told apart. */
  oktaUserId: string;
  log: (line: string) => void;
}

/** The Okta peer's `familyRefreshes`: token families of one user since `markFamilies`. */
type FamilyRefreshes = {
  notRefreshed: number;
  doubleRefreshed: number;
  tokensReused: number;
  revoked: number;
};

const ROTATION = { rotation: 'ROTATE', leewaySeconds: 0 } as const;

const alertCalls = (slack: SlackPeer) =>
  slack.callCount('chat.postMessage') + slack.callCount('chat.update');

/** Every connection due, then one scheduled sweep on each of `sweepers` at the same moment. */
async function sweepTogether(
  sweepers: readonly [Child<unknown>, ...Child<unknown>[]],
  okta: Child<unknown>,
  slack: SlackPeer,
  options: ReplicaSweepOptions,
): Promise<ReplicaSweepRun> {
  const [first] = sweepers;
  const due = await first.call<number>('makeDue', { limit: options.connections });
  await okta.call('markFamilies', { userId: options.oktaUserId });
  const peerBefore = await okta.call<OktaStats>('stats');
  const alertsBefore = alertCalls(slack);
  const activeBefore = await activeCount(first);

  const started = performance.now();
  const runs = await Promise.all(
    sweepers.map((bot) => bot.call<{ report: SweepReport; seconds: number }>('scheduledSweep')),
  );
  const seconds = (performance.now() - started) / 1000;

  const peerAfter = await okta.call<OktaStats>('stats');
  const families = await okta.call<FamilyRefreshes>('familyRefreshes', {
    userId: options.oktaUserId,
  });
  const sum = (key: keyof SweepReport) => runs.reduce((total, run) => total + run.report[key], 0);
  const refreshed = sum('refreshed');
  return {
    replicas: sweepers.length,
    connections: due,
    seconds: round(seconds),
    refreshed,
    refreshedByReplica: runs.map((run) => run.report.refreshed),
    perSecond: round(refreshed / seconds, 1),
    fresh: sum('fresh'),
    busy: sum('busy'),
    skipped: sum('skipped'),
    failed: sum('failed'),
    needsReauth: sum('needsReauth'),
    peerRefreshes: peerAfter.tokenOk - peerBefore.tokenOk,
    doubleRefreshes: families.doubleRefreshed,
    refreshTokensReused: families.tokensReused,
    familiesRevoked: families.revoked,
    notRefreshed: families.notRefreshed,
    invalidGrant: peerAfter.tokenInvalidGrant - peerBefore.tokenInvalidGrant,
    alertsPosted: alertCalls(slack) - alertsBefore,
    statusChanges: activeBefore - (await activeCount(first)),
  };
}

function describe(run: ReplicaSweepRun): string {
  return (
    `${run.refreshed} refreshed in ${run.seconds} s (${run.perSecond}/s; by replica ${run.refreshedByReplica.join(' + ')}), ` +
    `${run.fresh} fresh, ${run.busy} busy; at the peer ${run.peerRefreshes} refreshes, ` +
    `${run.doubleRefreshes} double, ${run.refreshTokensReused} tokens reused, ${run.familiesRevoked} revoked, ` +
    `${run.invalidGrant} invalid_grant, ${run.alertsPosted} alerts`
  );
}

/**
 * Workload 7: replicas of the bot on one PostgreSQL database sweeping the same 10,000
 * connections, their scheduled sweeps started at once, against an Okta app that rotates
 * refresh tokens with no grace period (any second use of a token is refused and revokes
 * the connection). First one replica alone, then all of them, on the same connections made
 * due again. Double refreshes are counted at the Okta peer, token family by token family.
 */
export async function measureReplicaSweep(
  replicas: readonly Child<unknown>[],
  okta: Child<unknown>,
  slack: SlackPeer,
  options: ReplicaSweepOptions,
): Promise<ReplicaSweepResults> {
  const [first, ...others] = replicas;
  if (!first) throw new Error('no replica');
  await okta.call('setRotation', { policy: ROTATION });
  try {
    const seedSeconds = await seedWithRealTokens(first, okta, { ...options, prefix: 'replica' });

    const single = await sweepTogether([first], okta, slack, options);
    options.log(`  1 replica: ${describe(single)}`);
    const replicated = await sweepTogether([first, ...others], okta, slack, options);
    options.log(`  ${replicas.length} replicas: ${describe(replicated)}`);
    return {
      seeded: options.connections,
      seedSeconds,
      rotation: `${ROTATION.rotation}, ${ROTATION.leewaySeconds} s grace period`,
      single,
      replicated,
    };
  } finally {
    await okta.call('setRotation', { policy: { rotation: 'STATIC' } });
  }
}
