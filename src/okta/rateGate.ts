/**
 * Keeps the bot within each Okta org's rate limit as the org reports it
 * (`X-Rate-Limit-Limit/-Remaining/-Reset`, research §6) and within a fixed number of
 * requests in flight per org. Background work (the health sweep) passes through it;
 * an admin's own click does not wait behind it.
 */
export interface GateOptions {
  /** Requests in flight per org at most. */
  maxInFlight: number;
  /**
   * Requests of the window left to others: Okta's buckets are shared with every other
   * client of the org (Workflows, scripts), so the sweep never spends the last ones.
   */
  reserveFraction: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

interface OrgState {
  inFlight: number;
  limit: number | null;
  remaining: number | null;
  resetAt: number | null;
  waiters: (() => void)[];
}

export class RateGate {
  private readonly orgs = new Map<string, OrgState>();

  constructor(private readonly options: GateOptions) {}

  private state(org: string): OrgState {
    let state = this.orgs.get(org);
    if (!state) {
      state = { inFlight: 0, limit: null, remaining: null, resetAt: null, waiters: [] };
      this.orgs.set(org, state);
    }
    return state;
  }

  /** Resolves when a request to `org` may start; call `release` when its answer arrives. */
  async acquire(org: string): Promise<void> {
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
          // Out of budget for this window: wait for Okta's reset, with a little jitter so
          // that several processes do not all start again in the same millisecond.
          await this.options.sleep(
            Math.max(0, state.resetAt - now) + Math.floor(Math.random() * 250),
          );
          continue;
        }
      }
      await new Promise<void>((resolve) => state.waiters.push(resolve));
    }
  }

  /** Lets the next request go (what Okta said about the window arrives through `observe`). */
  release(org: string): void {
    const state = this.state(org);
    state.inFlight = Math.max(0, state.inFlight - 1);
    state.waiters.shift()?.();
  }

  /** Reads the rate-limit headers of any answer from the org. */
  observe(org: string, headers: Headers): void {
    const limit = Number(headers.get('x-rate-limit-limit'));
    const remaining = Number(headers.get('x-rate-limit-remaining'));
    const reset = Number(headers.get('x-rate-limit-reset'));
    if (!headers.has('x-rate-limit-remaining') || !Number.isFinite(remaining)) return;
    const state = this.state(org);
    if (Number.isFinite(limit) && limit > 0) state.limit = limit;
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
  }
}
