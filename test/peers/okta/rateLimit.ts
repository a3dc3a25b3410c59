/**
 * Okta-style rate limits per path (or path prefix `…/*`, one shared bucket). A window
 * opens with the first request and lasts `windowSeconds`, not aligned with wall-clock
 * minutes, as Okta documents. Every answer on a limited path carries the three
 * X-Rate-Limit headers; requests over the limit get 429 E0000047.
 */
import { PathMap } from './pathMap.ts';

export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/** One window of a limited path as the peer counted it. */
export interface RateLimitWindow {
  /** Peer-clock epoch ms of the window's first request. */
  start: number;
  /** Requests received in it, the limited ones included. */
  requests: number;
  /** Of those, answered 429. */
  limited: number;
}

interface Bucket extends RateLimit {
  windowStart: number;
  count: number;
  /** Every window so far, oldest first (the last is the current one). */
  windows: RateLimitWindow[];
}

interface RateLimitVerdict {
  headers: Record<string, string>;
  limited: boolean;
}

export class RateLimiter {
  private readonly buckets = new PathMap<Bucket>();
  /** How many 429s the peer has sent. */
  limitedCount = 0;

  set(path: string, limit: RateLimit | null): void {
    if (limit === null) {
      this.buckets.delete(path);
      return;
    }
    if (!(limit.limit >= 0) || !(limit.windowSeconds > 0)) {
      throw new RangeError(
        `a rate limit needs limit ≥ 0 and windowSeconds > 0, got ${JSON.stringify(limit)}`,
      );
    }
    this.buckets.set(path, {
      ...limit,
      windowStart: Number.NEGATIVE_INFINITY,
      count: 0,
      windows: [],
    });
  }

  /** The windows counted under the limit set on `path` (exactly as given to `set`). */
  windows(path: string): readonly RateLimitWindow[] {
    return this.buckets.get(path)?.windows.map((window) => ({ ...window })) ?? [];
  }

  /** Counts one request on `path`; undefined when the path is not limited. */
  check(path: string, now: number): RateLimitVerdict | undefined {
    const bucket = this.buckets.match(path);
    if (!bucket) return undefined;
    const windowMs = bucket.windowSeconds * 1000;
    if (now >= bucket.windowStart + windowMs) {
      bucket.windowStart = now;
      bucket.count = 0;
      bucket.windows.push({ start: now, requests: 0, limited: 0 });
    }
    bucket.count += 1;
    const limited = bucket.count > bucket.limit;
    if (limited) this.limitedCount += 1;
    const window = bucket.windows.at(-1);
    if (window) {
      window.requests += 1;
      if (limited) window.limited += 1;
    }
    return {
      limited,
      headers: {
        'x-rate-limit-limit': String(bucket.limit),
        'x-rate-limit-remaining': String(Math.max(0, bucket.limit - bucket.count)),
        'x-rate-limit-reset': String(Math.ceil((bucket.windowStart + windowMs) / 1000)),
      },
    };
  }
}
