import { randomUUID } from 'node:crypto';
import { and, count, eq, gt, lte } from 'drizzle-orm';
import { type Clock, systemClock } from './clock.ts';
import type { Store } from './store.ts';

/** How the sweep may spend one org's window (see RateGate). */
export interface ClaimRules {
  /** The part of each window left to the org's other clients. */
  reserveFraction: number;
  /** How long a claim counts as in flight when its process never releases it (it died). */
  leaseMs: number;
}

/** What Okta said about the window in one answer's `X-Rate-Limit-*` headers. */
export interface SeenWindow {
  limit: number | null;
  remaining: number;
  /** Epoch ms from which a request counts in the next window; null when not said. */
  resetAt: number | null;
}

export type ClaimVerdict =
  | { ok: true; id: string }
  /** `retryAt`: the window's end; null when the end is not known yet (answers in flight will say). */
  | { ok: false; retryAt: number | null };

/**
 * Each Okta org's rate-limit window and the background requests in flight to it, shared
 * by every replica on the store (`org_rate_windows`, `org_rate_claims` in schema.ts).
 * Claims and observations of one org take turns on its row (a transaction that writes the
 * row first: PostgreSQL locks it, SQLite's write lock covers the whole file), so two
 * replicas never spend the same request of the window.
 */
export function createRateWindowsRepo(store: Store, clock: Clock = systemClock) {
  const { db } = store;
  const { orgRateWindows, orgRateClaims } = store.tables;

  /** Makes the org's row if needed and takes it for this transaction; returns it. */
  const takeRow = async (org: string, now: number) => {
    const [row] = await db
      .insert(orgRateWindows)
      .values({ org, updatedAt: now })
      .onConflictDoUpdate({ target: orgRateWindows.org, set: { updatedAt: now } })
      .returning();
    if (!row) throw new Error('org_rate_windows: upsert returned no row');
    return row;
  };

  /** Claims in flight for the org: those not released, and not run out (their process died). */
  const inFlight = async (org: string, now: number) => {
    const [row] = await db
      .select({ n: count() })
      .from(orgRateClaims)
      .where(and(eq(orgRateClaims.org, org), gt(orgRateClaims.expiresAt, now)));
    return Number(row?.n ?? 0);
  };

  return store.serialize({
    /**
     * One background request to `org` may start when the window has more than the
     * reserve left; it is then counted against the window at once, before Okta sees it.
     */
    claim(org: string, rules: ClaimRules): Promise<ClaimVerdict> {
      return store.transaction(async () => {
        const now = clock();
        const row = await takeRow(org, now);
        // Claims run out are dropped here, the one place that adds claims.
        await db
          .delete(orgRateClaims)
          .where(and(eq(orgRateClaims.org, org), lte(orgRateClaims.expiresAt, now)));
        const busy = await inFlight(org, now);
        let { remaining, resetAt } = row;
        if (resetAt !== null && now >= resetAt) {
          // A new window: Okta's whole limit, counted down until an answer names its end.
          // Requests still in flight may land in it, so they count against it too.
          remaining = row.requestLimit === null ? null : row.requestLimit - busy;
          resetAt = null;
        }
        const limit = row.requestLimit;
        const reserve = limit === null ? 0 : Math.ceil(limit * rules.reserveFraction);
        // No figures yet: requests go (each process keeps its own few in flight) and their
        // answers bring them.
        if (remaining !== null && remaining <= reserve) {
          if (resetAt !== null) return { ok: false, retryAt: resetAt };
          // Spent, with the end unknown: the answers in flight will name it. With none in
          // flight nobody would, so one request goes and brings fresh figures.
          if (busy > 0) return { ok: false, retryAt: null };
        }
        await db
          .update(orgRateWindows)
          .set({ remaining: remaining === null ? null : remaining - 1, resetAt, updatedAt: now })
          .where(eq(orgRateWindows.org, org));
        const id = randomUUID();
        await db.insert(orgRateClaims).values({ id, org, expiresAt: now + rules.leaseMs });
        return { ok: true, id };
      });
    },

    /** The claimed request's answer arrived (or it was never sent). */
    async release(id: string): Promise<void> {
      await db.delete(orgRateClaims).where(eq(orgRateClaims.id, id));
    },

    /**
     * Lowers the org's count to what Okta reports. Okta's figure does not include the
     * requests claimed and not yet arrived, so every claim in flight is taken off it: this
     * over-counts the ones Okta has already seen (the answer being read is one of them),
     * which only leaves a little more of the window unspent. Within one window the lowest
     * count wins (answers arrive out of order); an answer from a window that has ended
     * says nothing about the current one.
     */
    observe(org: string, seen: SeenWindow): Promise<void> {
      return store.transaction(async () => {
        const now = clock();
        if (seen.resetAt !== null && seen.resetAt <= now) return;
        const row = await takeRow(org, now);
        if (row.resetAt !== null && seen.resetAt !== null && seen.resetAt < row.resetAt) return;
        const left = Math.max(0, seen.remaining - (await inFlight(org, now)));
        const rowOver = row.resetAt !== null && now >= row.resetAt;
        const newer = row.resetAt !== null && seen.resetAt !== null && seen.resetAt > row.resetAt;
        // Okta opened a window the row does not know (it started before our reset time,
        // or the row's has ended): Okta's figure replaces the count of an older window.
        const replace = newer || rowOver;
        const remaining = replace || row.remaining === null ? left : Math.min(row.remaining, left);
        await db
          .update(orgRateWindows)
          .set({
            requestLimit: seen.limit ?? row.requestLimit,
            remaining,
            resetAt: seen.resetAt ?? (rowOver ? null : row.resetAt),
            updatedAt: now,
          })
          .where(eq(orgRateWindows.org, org));
      });
    },
  });
}

export type RateWindowsRepo = ReturnType<typeof createRateWindowsRepo>;
