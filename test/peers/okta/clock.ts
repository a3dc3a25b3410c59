/**
 * The peer's notion of "now". Code TTL, token expiry, refresh-token grace periods and
 * rate-limit windows all read it, so a test can expire things by moving time instead of
 * waiting. It starts at real time; `advance` only moves forward because every expiry
 * check assumes time never runs backwards.
 */
export interface PeerClock {
  /** Epoch milliseconds. */
  now(): number;
  /** Moves time forward by `ms` (≥ 0). */
  advance(ms: number): void;
}

export function createPeerClock(): PeerClock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new RangeError(`clock.advance takes a non-negative number of ms, got ${ms}`);
      }
      offset += ms;
    },
  };
}
