/**
 * The stand-in's notion of "now". It is separate from the wall clock so a test can make a
 * trigger id expire (or a response_url go stale) by advancing time instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch, as the stand-in sees them. */
  now(): number;
  /** Moves this clock forward; later `now()` readings include the jump. */
  advance(ms: number): void;
}

/**
 * Follows the wall clock plus whatever was advanced. The default: a bot that does slow work
 * before `views.open` really does get `expired_trigger_id`, as it would from Slack.
 */
export function systemClock(): Clock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      offset += checked(ms);
    },
  };
}

/** Stands still until advanced, for exact boundary tests (2999 ms vs 3000 ms). */
export function manualClock(startMs: number = Date.now()): Clock {
  let current = startMs;
  return {
    now: () => current,
    advance(ms) {
      current += checked(ms);
    },
  };
}

function checked(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot advance a clock by ${ms} ms`);
  return ms;
}
