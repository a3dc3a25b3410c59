import { expect, it } from 'vitest';
import type { SweepReport } from '../../src/flows/healthSweep.ts';
import { seedActive } from '../e2e/seed.ts';
import { waitUntil } from '../waitUntil.ts';
import { openStore, startBot, sweepReports, withWorld } from './botProcess.ts';

const TOKEN_PATH = '/oauth2/v1/token';
/** A one-second window, so that the sweep needs several of them in real time. */
const LIMIT = 12;
/** The gate leaves a tenth of each window to the org's other clients (app.ts). */
const RESERVE = Math.ceil(LIMIT * 0.1);
const CONNECTIONS = 40;
/** Each bot refreshes up to 4 connections of one org at a time. */
const IN_FLIGHT_PER_BOT = 4;

/**
 * Two bot processes (`tsx src/main.ts`) on one SQLite file sweep the connections of one
 * Okta org at the same moment, in real time, against a one-second rate-limit window.
 */
it(
  'two bot processes on one SQLite file sweeping one org together stay within its window less the reserve, and get no 429',
  { timeout: 120_000 },
  () =>
    withWorld({}, async (world) => {
      const store = openStore(world);
      try {
        await seedActive(world, store.connections, CONNECTIONS, {
          accessExpiresAt: Date.now() + 5 * 60_000,
        });
      } finally {
        store.close();
      }
      world.okta.setRateLimit(TOKEN_PATH, { limit: LIMIT, windowSeconds: 1 });
      // Okta holds the first refreshes until both bots have theirs in flight, so that the
      // two sweeps run at the same moment whatever their start-up times.
      world.okta.injectFault(TOKEN_PATH, { kind: 'delay', ms: 600_000 });
      const bots = await Promise.all([startBot(world), startBot(world)]);
      await waitUntil(
        () =>
          world.okta.requests.filter((r) => r.path === TOKEN_PATH).length >= 2 * IN_FLIGHT_PER_BOT,
        'both bots refreshing at once',
        { timeoutMs: 30_000 },
      );
      world.okta.clearFaults(TOKEN_PATH);
      // From now on each answer takes a moment, as over a real network: requests overlap,
      // and a process learns of the other's only from the store or Okta's late figures.
      world.okta.injectFault(TOKEN_PATH, { kind: 'delay-after', ms: 150 });
      await waitUntil(() => bots.every((bot) => sweepReports(bot).length > 0), 'both sweeps', {
        timeoutMs: 90_000,
      });

      const reports = bots.map((bot) => sweepReports(bot)[0] as SweepReport);
      expect(reports.reduce((sum, report) => sum + report.refreshed, 0)).toBe(CONNECTIONS);
      for (const report of reports) {
        expect(report).toMatchObject({ failed: 0, needsReauth: 0 });
        expect(report.refreshed).toBeGreaterThanOrEqual(IN_FLIGHT_PER_BOT);
      }
      const windows = world.okta.rateLimitWindows(TOKEN_PATH);
      expect(windows.length).toBeGreaterThanOrEqual(Math.ceil(CONNECTIONS / (LIMIT - RESERVE)));
      for (const window of windows) {
        expect(window.limited).toBe(0);
        expect(window.requests).toBeLessThanOrEqual(LIMIT - RESERVE);
      }
      expect(world.okta.rateLimitedCount).toBe(0);
    }),
);
