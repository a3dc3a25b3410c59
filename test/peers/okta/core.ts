/** What every route handler shares: the peer's identity, time, data and keys. */
import type { PeerClock } from './clock.ts';
import type { SigningKeys } from './keys.ts';
import type { PeerState } from './state.ts';
import type { SystemLog } from './systemLog.ts';

/** Hostile token responses a test can ask for, one response at a time. */
export type TokenTamper = 'no-access-token' | 'foreign-key' | 'wrong-iss' | 'wrong-nonce';

export interface PeerCore {
  /** `http://127.0.0.1:PORT`: the org's origin, which is also the org authorization server's issuer. */
  readonly issuer: string;
  readonly clock: PeerClock;
  readonly state: PeerState;
  readonly keys: SigningKeys;
  readonly knownScopes: ReadonlySet<string>;
  readonly systemLog: SystemLog;
  /** Consumed first-in first-out by the next successful token responses. */
  readonly tampers: TokenTamper[];
}
