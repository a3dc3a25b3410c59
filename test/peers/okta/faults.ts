/**
 * Injected failures per path (or path prefix `…/*`), applied to the next requests in
 * order: an error status, a delay before the normal answer, a dropped connection, an
 * HTML page with 200 where JSON was expected, or `delay-after`: the request is processed
 * at once (a refresh token is rotated, a code spent) and only its answer is held (`ms`
 * from arrival, or until cleared), like a reply lost on the way after Okta acted.
 */
import { PathMap, patternMatches } from './pathMap.ts';

export type Fault =
  | { kind: 'status'; status: number }
  | { kind: 'delay'; ms: number }
  | { kind: 'delay-after'; ms: number }
  | { kind: 'drop' }
  | { kind: 'garbage' };

/** A fault for the next `times` requests (default: every request until cleared). */
export type FaultSpec = Fault & { times?: number };

interface Pending {
  fault: Fault;
  remaining: number;
}

export class FaultInjector {
  private readonly queues = new PathMap<Pending[]>();
  /** Requests waiting out a delay: their path, and how to let them go early. */
  private readonly held = new Map<() => void, string>();

  add(path: string, { times = Number.POSITIVE_INFINITY, ...fault }: FaultSpec): void {
    if (!(times >= 1)) throw new RangeError(`times must be at least 1, got ${times}`);
    const queue = this.queues.get(path) ?? [];
    queue.push({ fault: fault as Fault, remaining: times });
    this.queues.set(path, queue);
  }

  /**
   * Removes the faults of `path` (a path or `…/*` pattern; all when omitted) and lets
   * the requests it is holding in a delay go on at once, so tests never wait on a timer.
   */
  clear(path?: string): void {
    if (path === undefined) this.queues.clear();
    else this.queues.delete(path);
    for (const [release, heldPath] of this.held) {
      if (path === undefined || patternMatches(path, heldPath)) release();
    }
  }

  /** The fault for this request, if any; counts it against its `times`. */
  take(path: string): Fault | undefined {
    const queue = this.queues.match(path, (pending) => pending.length > 0);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.fault;
  }

  /** Waits `ms` before the request on `path` is answered, or less if its faults are cleared. */
  hold(path: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer);
        this.held.delete(release);
        resolve();
      };
      const timer = setTimeout(release, ms);
      this.held.set(release, path);
    });
  }
}
