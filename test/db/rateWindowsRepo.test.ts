import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  type ClaimVerdict,
  createRateWindowsRepo,
  type RateWindowsRepo,
} from '../../src/db/rateWindowsRepo.ts';
import { DATABASE_KINDS, manualClock, openTestDatabase, tempDir } from './testDatabase.ts';

const ORG = 'acme.okta.com';
const MINUTE = 60_000;
const LEASE_MS = 5 * MINUTE;
/** A limit of 10 keeps 1 in reserve. */
const RULES = { reserveFraction: 0.1, leaseMs: LEASE_MS };

async function claimAll(windows: RateWindowsRepo, times: number): Promise<ClaimVerdict[]> {
  const verdicts: ClaimVerdict[] = [];
  for (let i = 0; i < times; i += 1) verdicts.push(await windows.claim(ORG, RULES));
  return verdicts;
}

const granted = (verdicts: ClaimVerdict[]) =>
  verdicts.flatMap((verdict) => (verdict.ok ? [verdict.id] : []));

describe.each(DATABASE_KINDS)('shared rate-limit windows (%s)', (kind) => {
  async function setup() {
    const store = await openTestDatabase(kind);
    const clock = manualClock();
    const windows = createRateWindowsRepo(store, clock);
    const row = async () => {
      const [found] = await store.db
        .select()
        .from(store.tables.orgRateWindows)
        .where(eq(store.tables.orgRateWindows.org, ORG));
      return found;
    };
    return { store, clock, windows, row };
  }

  it('counts claims down to the reserve, then names the window’s end', async () => {
    const { clock, windows, row } = await setup();
    const resetAt = clock() + MINUTE;
    await windows.observe(ORG, { limit: 10, remaining: 10, resetAt });

    const verdicts = await claimAll(windows, 10);

    expect(granted(verdicts)).toHaveLength(9);
    expect(verdicts.at(-1)).toEqual({ ok: false, retryAt: resetAt });
    expect(await row()).toMatchObject({ requestLimit: 10, remaining: 1, resetAt });
  });

  it('lets requests go while Okta has not named a window, and counts none', async () => {
    const { windows, row } = await setup();
    expect(granted(await claimAll(windows, 12))).toHaveLength(12);
    expect(await row()).toMatchObject({ requestLimit: null, remaining: null, resetAt: null });
  });

  it('opens the next window with the whole limit once the reset has passed, less the claims still in flight', async () => {
    const { clock, windows, row } = await setup();
    await windows.observe(ORG, { limit: 10, remaining: 10, resetAt: clock() + MINUTE });
    const ids = granted(await claimAll(windows, 9));
    for (const id of ids.slice(2)) await windows.release(id);
    clock.advance(MINUTE);

    const verdicts = await claimAll(windows, 8);

    // 10, less the 2 in flight, less the reserve of 1.
    expect(granted(verdicts)).toHaveLength(7);
    // The end is not known until an answer names it; the answers in flight will.
    expect(verdicts.at(-1)).toEqual({ ok: false, retryAt: null });
    expect(await row()).toMatchObject({ remaining: 1, resetAt: null });
  });

  it('lets one request go when the window is spent, its end unknown and nothing in flight, so its answer brings figures', async () => {
    const { clock, windows } = await setup();
    await windows.observe(ORG, { limit: 10, remaining: 1, resetAt: null });
    const [first, second] = await claimAll(windows, 2);
    expect(first?.ok).toBe(true);
    expect(second).toEqual({ ok: false, retryAt: null });

    // A claim whose process died counts only until its lease ends.
    clock.advance(LEASE_MS);
    expect((await windows.claim(ORG, RULES)).ok).toBe(true);
  });

  it('keeps the lowest figure within a window, net of the claims in flight', async () => {
    const { clock, windows, row } = await setup();
    const resetAt = clock() + MINUTE;
    await windows.observe(ORG, { limit: 10, remaining: 8, resetAt });
    await windows.observe(ORG, { limit: 10, remaining: 9, resetAt });
    expect(await row()).toMatchObject({ remaining: 8 });

    await claimAll(windows, 2);
    expect(await row()).toMatchObject({ remaining: 6 });
    // Okta has not seen the 2 claimed yet: its 7 means 5.
    await windows.observe(ORG, { limit: 10, remaining: 7, resetAt });
    expect(await row()).toMatchObject({ remaining: 5, resetAt });
  });

  it('takes a newer window’s figure from Okta, and ignores an answer from a window that has ended', async () => {
    const { clock, windows, row } = await setup();
    const resetAt = clock() + MINUTE;
    await windows.observe(ORG, { limit: 10, remaining: 3, resetAt });
    const [claim] = granted(await claimAll(windows, 1));

    // Okta opened its next window before the bot's reset time: its count replaces ours.
    await windows.observe(ORG, { limit: 10, remaining: 9, resetAt: resetAt + MINUTE });
    expect(await row()).toMatchObject({ remaining: 8, resetAt: resetAt + MINUTE });
    // A late answer from the window before says nothing about this one.
    await windows.observe(ORG, { limit: 10, remaining: 0, resetAt });
    clock.advance(MINUTE / 2);
    await windows.observe(ORG, { limit: 10, remaining: 0, resetAt: clock() - 1 });
    expect(await row()).toMatchObject({ remaining: 8, resetAt: resetAt + MINUTE });
    if (claim) await windows.release(claim);
  });

  if (kind !== 'memory') {
    it('holds two processes on one database to one budget when they claim at the same moment', async () => {
      const shared = kind === 'file' ? join(tempDir(), 'shared.sqlite') : 'rate-windows';
      const one = await openTestDatabase(kind, shared);
      const two = await openTestDatabase(kind, shared);
      const clock = manualClock();
      const replicas = [createRateWindowsRepo(one, clock), createRateWindowsRepo(two, clock)];
      await replicas[0]?.observe(ORG, { limit: 20, remaining: 20, resetAt: clock() + MINUTE });

      // On PostgreSQL all at once; SQLite's connections in one process take turns (two
      // processes would wait on the file's lock, which one thread cannot do for itself).
      const verdicts =
        kind === 'postgres'
          ? await Promise.all(
              Array.from({ length: 30 }, (_, i) => replicas[i % 2]?.claim(ORG, RULES)),
            )
          : await (async () => {
              const all: (ClaimVerdict | undefined)[] = [];
              for (let i = 0; i < 30; i += 1) all.push(await replicas[i % 2]?.claim(ORG, RULES));
              return all;
            })();

      // 20 less a reserve of 2, whichever process asked.
      expect(verdicts.filter((verdict) => verdict?.ok)).toHaveLength(18);
    });
  }
});
