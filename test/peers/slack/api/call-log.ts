import type { CallRecord } from './types.ts';

/**
 * The recorded Web API calls. Appending is O(1) and never scans: with a cap, the newest
 * `max` calls are kept in a ring; with recording off, only the per-method counts are.
 */
export class CallLog {
  private readonly ring: CallRecord[] = [];
  private start = 0;
  private seq = 0;
  private readonly counts = new Map<string, number>();

  /** `max` = how many calls to keep (0 = none, Infinity = all). */
  constructor(private readonly max: number) {}

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  add(call: CallRecord): void {
    this.counts.set(call.method, (this.counts.get(call.method) ?? 0) + 1);
    if (this.max <= 0) return;
    if (this.ring.length < this.max) {
      this.ring.push(call);
      return;
    }
    this.ring[this.start] = call;
    this.start = (this.start + 1) % this.max;
  }

  /** Recorded calls, oldest first, optionally only those of one method. */
  list(method?: string): CallRecord[] {
    const ordered = [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
    return method === undefined ? ordered : ordered.filter((c) => c.method === method);
  }

  /** How many calls of `method` (or of all methods) arrived, recorded or not. */
  count(method?: string): number {
    if (method !== undefined) return this.counts.get(method) ?? 0;
    let total = 0;
    for (const n of this.counts.values()) total += n;
    return total;
  }

  clear(): void {
    this.ring.length = 0;
    this.start = 0;
    this.counts.clear();
  }
}
