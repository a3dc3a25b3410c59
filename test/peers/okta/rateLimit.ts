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

interface Bucket extends RateLimit {
  windowStart: number;
  count: number;
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
    this.buckets.set(path, { ...limit, windowStart: Number.NEGATIVE_INFINITY, count: 0 });
  }

  /** Counts one request on `path`; undefined when the path is not limited. */
  check(path: string, now: number): RateLimitVerdict | undefined {
    const bucket = this.buckets.match(path);
    if (!bucket) return undefined;
    const windowMs = bucket.windowSeconds * 1000;
    if (now >= bucket.windowStart + windowMs) {
      bucket.windowStart = now;
      bucket.count = 0;
    }
    bucket.count += 1;
    const limited = bucket.count > bucket.limit;
    if (limited) this.limitedCount += 1;
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
