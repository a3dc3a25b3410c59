import type { ClaimRules, ClaimVerdict, SeenWindow } from '../db/rateWindowsRepo.ts';
import type { Logger } from '../logger.ts';

/**
 * Keeps the bot within each Okta org's rate limit as the org reports it
 * (`X-Rate-Limit-Limit/-Remaining/-Reset`, research §6) and within a fixed number of
 * requests in flight per org. Background work (the health sweep) passes through it;
 * an admin's own click does not wait behind it.
 *
 * With `shared`, the window is kept in the store, so every replica on it spends the one
 * budget of the org: each request is claimed there first (counted against the window
 * before Okta sees it) and every answer's figures are written there. Counting claims,
 * not answers, is the bound that matters: however many replicas send, and however many
 * requests are in flight, the window's requests never exceed what the store let go, so
 * N replicas need no shared bound on requests in flight to stay within the budget. The
 * in-flight claims are kept in the store too, but only so that Okta's figures (which
 * cannot count a request that has not arrived yet) are read net of them; each process
 * still keeps `maxInFlight` per org, so N replicas have at most N × `maxInFlight` in
 * flight, a dozen for the two or three replicas the bot is run with, far from the
 * per-org concurrency limits Okta applies. A claim left by a process that died counts
 * for `CLAIM_LEASE_MS`. When the store does not answer, the gate goes on with what this
 * process knows (the figures it has seen, its own requests in flight), logs it once,
 * and uses the store again once it answers: the sweep never waits on a database that
 * is down.
 */
export interface GateOptions {
  /** Requests in flight per org at most, in this process. */
  maxInFlight: number;
  /**
   * Requests of the window left to others: Okta's buckets are shared with every other
   * client of the org (Workflows, scripts), so the sweep never spends the last ones.
   */
  reserveFraction: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** The store's record of every org's window, shared by the replicas. */
  shared?: SharedWindows;
  logger?: Logger;
}

/** What the gate needs from the store (db/rateWindowsRepo.ts). */
export interface SharedWindows {
  claim(org: string, rules: ClaimRules): Promise<ClaimVerdict>;
  release(id: string): Promise<void>;
  observe(org: string, seen: SeenWindow): Promise<void>;
}

/** Longer than any request to Okta takes (10 s timeout), retries of the HTTP client included. */
const CLAIM_LEASE_MS = 60_000;
/** How often a waiter looks again when only another replica's answers can tell the window's end. */
const POLL_MS = 200;

interface OrgState {
  inFlight: number;
  limit: number | null;
  remaining: number | null;
  resetAt: number | null;
  waiters: (() => void)[];
  /** Claims this process holds in the store; `null` for a request let through locally. */
  claims: (string | null)[];
  /** The figures being written to the store, awaited before the next claim. */
  observing: Promise<void>;
  /**
   * Figures seen while a write was under way, merged (one window: the lowest; a later
   * window wins) so that a burst of answers costs at most one more write, not a queue.
   */
  unwritten: SeenWindow | null;
}

export class RateGate {
  private readonly orgs = new Map<string, OrgState>();
  /** Set while the store does not answer, so the outage is logged once, not per request. */
  private storeDown = false;

  constructor(private readonly options: GateOptions) {}

  private state(org: string): OrgState {
    let state = this.orgs.get(org);
    if (!state) {
      state = {
        inFlight: 0,
        limit: null,
        remaining: null,
        resetAt: null,
        waiters: [],
        claims: [],
        observing: Promise.resolve(),
        unwritten: null,
      };
      this.orgs.set(org, state);
    }
    return state;
  }

  /** Resolves when a request to `org` may start; call `release` when its answer arrives. */
  async acquire(org: string): Promise<void> {
    const shared = this.options.shared;
    if (!shared) return this.acquireHere(org);
    const state = this.state(org);
    for (;;) {
      if (state.inFlight >= this.options.maxInFlight) {
        await this.nextRelease(state);
        continue;
      }
      // The slot is taken while the claim is asked for, so this process's other requests
      // do not all ask at once.
      state.inFlight += 1;
      let verdict: ClaimVerdict | null;
      try {
        // This process's latest figures first, so that its claim is counted against them.
        await state.observing;
        verdict = await shared.claim(org, {
          reserveFraction: this.options.reserveFraction,
          leaseMs: CLAIM_LEASE_MS,
        });
        this.storeAnswered();
      } catch (error) {
        this.storeFailed(error, org);
        verdict = null;
      }
      if (verdict?.ok) {
        state.claims.push(verdict.id);
        return;
      }
      state.inFlight -= 1;
      state.waiters.shift()?.();
      if (verdict === null) {
        await this.acquireHere(org);
        state.claims.push(null);
        return;
      }
      if (verdict.retryAt !== null) {
        await this.options.sleep(this.untilWithJitter(verdict.retryAt));
      } else if (state.inFlight > 0) {
        // The answers in flight will name the window's end; one of ours wakes us.
        await this.nextRelease(state);
      } else {
        // Only other replicas' answers will: look again shortly.
        await this.options.sleep(POLL_MS + Math.floor(Math.random() * POLL_MS));
      }
    }
  }

  private nextRelease(state: OrgState): Promise<void> {
    return new Promise<void>((resolve) => state.waiters.push(resolve));
  }

  /** The gate of one process alone: without a store, or while it does not answer. */
  private async acquireHere(org: string): Promise<void> {
    const state = this.state(org);
    for (;;) {
      const now = this.options.now();
      if (state.resetAt !== null && now >= state.resetAt) {
        state.remaining = state.limit;
        state.resetAt = null;
      }
      if (state.inFlight < this.options.maxInFlight) {
        const reserve =
          state.limit === null ? 0 : Math.ceil(state.limit * this.options.reserveFraction);
        const spendable =
          state.remaining === null
            ? Number.POSITIVE_INFINITY
            : state.remaining - state.inFlight - reserve;
        // With nothing in flight and no reset announced, nobody would wake this waiter:
        // one request goes, and its answer brings fresh figures.
        if (spendable > 0 || (state.inFlight === 0 && state.resetAt === null)) {
          state.inFlight += 1;
          return;
        }
        if (state.resetAt !== null) {
          // Out of budget for this window: wait for Okta's reset.
          await this.options.sleep(this.untilWithJitter(state.resetAt));
          continue;
        }
      }
      await this.nextRelease(state);
    }
  }

  /** Until `at`, with a little jitter so that processes do not all start in the same millisecond. */
  private untilWithJitter(at: number): number {
    return Math.max(0, at - this.options.now()) + Math.floor(Math.random() * 250);
  }

  /** Lets the next request go (what Okta said about the window arrives through `observe`). */
  release(org: string): void {
    const state = this.state(org);
    state.inFlight = Math.max(0, state.inFlight - 1);
    const id = state.claims.pop();
    const shared = this.options.shared;
    if (!shared || id === undefined || id === null) {
      state.waiters.shift()?.();
      return;
    }
    // After this answer's figures are written: until then the claim keeps the request
    // counted. The waiter wakes once the store has both.
    state.observing
      .then(() => shared.release(id))
      .catch((error: unknown) => this.storeFailed(error, org))
      .finally(() => state.waiters.shift()?.());
  }

  /** Reads the rate-limit headers of any answer from the org. */
  observe(org: string, headers: Headers): void {
    const limit = Number(headers.get('x-rate-limit-limit'));
    const remaining = Number(headers.get('x-rate-limit-remaining'));
    const reset = Number(headers.get('x-rate-limit-reset'));
    if (!headers.has('x-rate-limit-remaining') || !Number.isFinite(remaining)) return;
    const state = this.state(org);
    const knownLimit = Number.isFinite(limit) && limit > 0 ? limit : null;
    if (knownLimit !== null) state.limit = knownLimit;
    // The reset is given in whole seconds: wait to the end of that second, or the first
    // request of the "new" window can land in the old one.
    const resetAt = Number.isFinite(reset) && reset > 0 ? (reset + 1) * 1000 : null;
    // Answers can arrive out of order: within one window, the lowest count is the truest.
    if (state.resetAt === resetAt && state.remaining !== null) {
      state.remaining = Math.min(state.remaining, remaining);
    } else {
      state.remaining = remaining;
      state.resetAt = resetAt;
    }
    const shared = this.options.shared;
    if (!shared) return;
    const seen: SeenWindow = { limit: knownLimit, remaining: Math.max(0, remaining), resetAt };
    // A write already queued takes these figures along.
    const queued = state.unwritten !== null;
    state.unwritten = mergeSeen(state.unwritten, seen);
    if (queued) return;
    state.observing = state.observing.then(async () => {
      const figures = state.unwritten;
      state.unwritten = null;
      if (!figures) return;
      try {
        await shared.observe(org, figures);
      } catch (error) {
        this.storeFailed(error, org);
      }
    });
  }

  private storeFailed(error: unknown, org: string): void {
    if (this.storeDown) return;
    this.storeDown = true;
    this.options.logger?.warn(
      { err: error, org },
      'rate-limit windows unavailable in the database; gating Okta requests with what this process knows',
    );
  }

  private storeAnswered(): void {
    if (!this.storeDown) return;
    this.storeDown = false;
    this.options.logger?.info('rate-limit windows in the database answer again');
  }
}

/** Two answers' figures as one: within a window the lowest count, else the later window's. */
function mergeSeen(earlier: SeenWindow | null, later: SeenWindow): SeenWindow {
  if (earlier === null) return later;
  if (earlier.resetAt === later.resetAt) {
    return {
      limit: later.limit ?? earlier.limit,
      remaining: Math.min(earlier.remaining, later.remaining),
      resetAt: later.resetAt,
    };
  }
  return (earlier.resetAt ?? 0) > (later.resetAt ?? 0) ? earlier : later;
}
