import { expect, it } from 'vitest';
import { runSweep, type SweepReport } from '../../src/flows/healthSweep.ts';
import { describePostgres } from '../db/testDatabase.ts';
import type { OktaPeer } from '../peers/okta/index.ts';
import type { Harness } from './harness.ts';
import { replicaSet } from './replicaSet.ts';
import { offsetClock, seedActiveConnections } from './seed.ts';

const MINUTE = 60_000;
const TOKEN_PATH = '/oauth2/v1/token';
/** Okta's window for the token endpoint here: small, so that the sweep needs several. */
const LIMIT = 20;
/** The gate leaves a tenth of each window to the org's other clients (app.ts). */
const RESERVE = Math.ceil(LIMIT * 0.1);
const CONNECTIONS = 60;

/**
 * Three replicas of the bot on one PostgreSQL database sweep the connections of one Okta
 * org at the same moment. Their clocks and Okta's are one clock that the replicas' waits
 * move, so windows pass without real waiting.
 */
describePostgres('replicas sharing one Okta org’s rate limit on PostgreSQL', () => {
  const startReplicas = replicaSet();

  it('three replicas sweeping together stay within one window of the org, less the reserve, and get no 429', async () => {
    const clock = offsetClock();
    let okta: OktaPeer | undefined;
    const sleep = async (ms: number) => {
      clock.advance(ms);
      okta?.clock.advance(ms);
    };
    const started = await startReplicas(3, { now: clock, sleep });
    const first = started[0] as Harness;
    okta = first.okta;
    await seedActiveConnections(first, CONNECTIONS, { now: clock() });
    await sleep(55 * MINUTE);
    okta.setRateLimit(TOKEN_PATH, { limit: LIMIT, windowSeconds: 60 });

    // A replica holding a connection past its refresh lease (waiting for a window) may
    // lose it to another; sweep again until every connection is refreshed.
    const reports: SweepReport[][] = started.map(() => []);
    let refreshed = 0;
    for (let round = 0; round < 4 && refreshed < CONNECTIONS; round += 1) {
      const swept = await Promise.all(
        started.map((h, i) =>
          runSweep(h.bot.flows, { owner: `replica-${i}`, gate: h.bot.gate, sleep }),
        ),
      );
      for (const [i, report] of swept.entries()) reports[i]?.push(report);
      refreshed += swept.reduce((sum, report) => sum + report.refreshed, 0);
    }

    expect(refreshed).toBe(CONNECTIONS);
    for (const own of reports) {
      // Every replica refreshed some: the window was spent by all three.
      expect(own.reduce((sum, report) => sum + report.refreshed, 0)).toBeGreaterThan(0);
      expect(own.reduce((sum, report) => sum + report.failed, 0)).toBe(0);
    }
    const windows = okta.rateLimitWindows(TOKEN_PATH);
    expect(windows.length).toBeGreaterThanOrEqual(Math.ceil(CONNECTIONS / (LIMIT - RESERVE)));
    for (const window of windows) {
      expect(window.limited).toBe(0);
      expect(window.requests).toBeLessThanOrEqual(LIMIT - RESERVE);
    }
    expect(okta.rateLimitedCount).toBe(0);
  });
});
