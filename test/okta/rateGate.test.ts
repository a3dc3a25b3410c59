import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRateWindowsRepo } from '../../src/db/rateWindowsRepo.ts';
import { createLogger } from '../../src/logger.ts';
import { RateGate, type SharedWindows } from '../../src/okta/rateGate.ts';
import { manualClock, openTestDatabase } from '../db/testDatabase.ts';

const ORG = 'acme.okta.com';

/** The store's windows, with a switch that makes every call fail as a database that is down. */
async function switchableWindows(clock: () => number) {
  const real = createRateWindowsRepo(await openTestDatabase('memory'), clock);
  const state = { down: false };
  const guard =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      state.down ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) : call(...args);
  const windows: SharedWindows = {
    claim: guard(real.claim),
    release: guard(real.release),
    observe: guard(real.observe),
  };
  return { windows, state };
}

function gateOn(windows: SharedWindows, clock: ReturnType<typeof manualClock>) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const sleeps: number[] = [];
  const gate = new RateGate({
    maxInFlight: 2,
    reserveFraction: 0.1,
    now: clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
    shared: windows,
    logger: createLogger('info', sink),
  });
  return { gate, lines, sleeps };
}

const rateHeaders = (remaining: number, resetSeconds: number) =>
  new Headers({
    'x-rate-limit-limit': '10',
    'x-rate-limit-remaining': String(remaining),
    'x-rate-limit-reset': String(resetSeconds),
  });

/** Lets pending promise callbacks and store calls run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('the rate gate on a shared store', () => {
  it('waits for the window’s end once the store says the org’s budget is spent by any process', async () => {
    const clock = manualClock();
    const { windows } = await switchableWindows(clock);
    const one = gateOn(windows, clock);
    const two = gateOn(windows, clock);
    const start = clock();
    const resetSeconds = Math.floor(start / 1000) + 60;
    one.gate.observe(ORG, rateHeaders(3, resetSeconds));
    await settle();

    // 3 left, 1 in reserve: two requests, whichever process sends them.
    await one.gate.acquire(ORG);
    one.gate.release(ORG);
    await two.gate.acquire(ORG);
    two.gate.release(ORG);
    await settle();
    expect(two.sleeps).toEqual([]);
    await two.gate.acquire(ORG);

    expect(two.sleeps).toHaveLength(1);
    expect(two.sleeps[0]).toBeGreaterThanOrEqual((resetSeconds + 1) * 1000 - start);
  });

  it('goes on with what this process knows while the store does not answer, says so once, and uses the store again when it answers', async () => {
    const clock = manualClock();
    const { windows, state } = await switchableWindows(clock);
    const { gate, lines } = gateOn(windows, clock);
    state.down = true;

    await gate.acquire(ORG);
    await gate.acquire(ORG);
    // Still at most maxInFlight (2) in this process: the third waits for a release.
    let third = false;
    const waiting = gate.acquire(ORG).then(() => {
      third = true;
    });
    await settle();
    expect(third).toBe(false);
    gate.release(ORG);
    await waiting;
    expect(third).toBe(true);
    gate.release(ORG);
    gate.release(ORG);
    await settle();

    const warnings = lines.filter((line) => line.level === 40);
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]?.msg)).toContain('rate-limit windows unavailable');

    state.down = false;
    await gate.acquire(ORG);
    gate.release(ORG);
    expect(lines.at(-1)?.msg).toBe('rate-limit windows in the database answer again');
  });

  it('writes a burst of answers as one, keeping the lowest count of the window', async () => {
    const clock = manualClock();
    const store = await openTestDatabase('memory');
    const real = createRateWindowsRepo(store, clock);
    const written: number[] = [];
    const windows: SharedWindows = {
      ...real,
      observe: (org, seen) => {
        written.push(seen.remaining);
        return real.observe(org, seen);
      },
    };
    const { gate } = gateOn(windows, clock);
    const resetSeconds = Math.floor(clock() / 1000) + 60;
    for (const remaining of [9, 4, 7, 6, 5])
      gate.observe(ORG, rateHeaders(remaining, resetSeconds));
    await settle();

    expect(written).toEqual([4]);
    const [row] = await store.db.select().from(store.tables.orgRateWindows);
    expect(row).toMatchObject({ org: ORG, remaining: 4, requestLimit: 10 });
  });
});
