import type { Connection } from '../db/connectionsRepo.ts';
import type { BotError } from '../errors.ts';
import { type AlertChannel, alertInBackground } from './alerts.ts';
import type { FlowDeps } from './deps.ts';
import {
  describeFailure,
  REFRESH_BEFORE_EXPIRY_MS,
  refreshConnection,
} from './refreshConnection.ts';

/**
 * Another refresher (the sweep, another request, another process) holds the lease for
 * the length of one call to Okta, usually well under a second: a caller waits for it
 * this many times this long, then is told to come back rather than held for the lease's
 * full minute.
 */
const BUSY_RETRIES = 5;
const BUSY_WAIT_MS = 200;
/** When Okta gives no reset time, a minute-long rate-limit window or a brief outage has likely passed by then. */
export const DEFAULT_RETRY_AFTER_SECONDS = 30;

interface IssuedToken {
  ok: true;
  connection: Connection;
  accessToken: string;
  /** Epoch ms; null when Okta did not say. */
  expiresAt: number | null;
  refreshed: boolean;
}

/** Why no token could be had; each code maps to one answer of the connection API. */
export type TokenProblem =
  | { ok: false; code: 'gone' | 'busy' }
  | { ok: false; code: 'needs_reauth' | 'not_active' | 'no_refresh_token'; connection: Connection }
  | { ok: false; code: 'okta_unavailable'; retryAfterSeconds: number; error: BotError }
  | { ok: false; code: 'okta_error'; error: BotError };

type FreshToken = IssuedToken | TokenProblem;

export interface FreshTokenOptions {
  /** This process in refresh leases. */
  owner: string;
  /**
   * A token Okta just answered 401 to (revoked before its expiry): refresh even though it
   * looks fresh, unless another refresher has already replaced it.
   */
  refused?: string;
  sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isFresh(connection: Connection, now: number): boolean {
  return (
    connection.accessExpiresAt !== null &&
    connection.accessExpiresAt - now > REFRESH_BEFORE_EXPIRY_MS
  );
}

/**
 * An access token with more than ten minutes left, for a tool calling Okta with the
 * connection. A token closer to expiry (or of unknown expiry) is refreshed first through
 * `refreshConnection`, the sweep's lease path, so the two never spend one refresh token
 * twice. Okta refusing the refresh moves the connection to `needs_reauth` and raises the
 * channel alert, as the sweep does.
 */
export async function freshAccessToken(
  deps: FlowDeps,
  alerts: AlertChannel,
  target: { teamId: string; id: string },
  options: FreshTokenOptions,
): Promise<FreshToken> {
  const sleep = options.sleep ?? sleepFor;
  for (let attempt = 0; attempt <= BUSY_RETRIES; attempt += 1) {
    const current = await deps.connections.findById(target.teamId, target.id);
    if (!current) return { ok: false, code: 'gone' };
    if (current.status !== 'active') {
      const code = current.status === 'needs_reauth' ? 'needs_reauth' : 'not_active';
      return { ok: false, code, connection: current };
    }
    if (isFresh(current, deps.now())) {
      const stored = await readAccessToken(deps, current, false);
      if (stored && stored.accessToken !== options.refused) return stored;
    }
    // Not forced unless Okta refused the token: after taking the lease refreshConnection
    // reads the row again and answers `fresh` when another refresher got there first,
    // instead of spending the refresh token a second time.
    const outcome = await refreshConnection(deps, current, {
      owner: options.owner,
      force: options.refused !== undefined,
    });
    switch (outcome.kind) {
      case 'refreshed':
      case 'fresh': {
        const token = await readAccessToken(deps, outcome.connection, outcome.kind === 'refreshed');
        if (token && token.accessToken !== options.refused) return token;
        break;
      }
      case 'busy':
      case 'lease_lost':
        if (attempt < BUSY_RETRIES) await sleep(BUSY_WAIT_MS);
        break;
      case 'skipped':
        if (outcome.reason === 'gone') return { ok: false, code: 'gone' };
        if (outcome.reason === 'no_refresh_token') {
          return { ok: false, code: 'no_refresh_token', connection: current };
        }
        // not_active: the next read says which status it went to.
        break;
      case 'needs_reauth':
        alertInBackground(deps, alerts, outcome.connection);
        return { ok: false, code: 'needs_reauth', connection: outcome.connection };
      case 'failed':
        // The caller does not retry here (it is told when to), so this failure counts now.
        await deps.connections.recordFailure(current.id, describeFailure(outcome.error));
        return outcome.error.retryable
          ? {
              ok: false,
              code: 'okta_unavailable',
              retryAfterSeconds: retryAfter(outcome.error, deps.now()),
              error: outcome.error,
            }
          : { ok: false, code: 'okta_error', error: outcome.error };
    }
  }
  return { ok: false, code: 'busy' };
}

async function readAccessToken(
  deps: FlowDeps,
  connection: Connection,
  refreshed: boolean,
): Promise<IssuedToken | null> {
  const secrets = await deps.connections.readSecrets(connection.id, ['accessToken']);
  if (!secrets?.accessToken) return null;
  return {
    ok: true,
    connection,
    accessToken: secrets.accessToken,
    expiresAt: connection.accessExpiresAt,
    refreshed,
  };
}

/** Seconds until Okta's announced rate-limit reset, or a default for outages. */
function retryAfter(error: BotError, now: number): number {
  const resetAt = error.details.resetAt;
  if (typeof resetAt === 'number' && resetAt > now) {
    return Math.min(60, Math.max(1, Math.ceil((resetAt - now) / 1000)));
  }
  return DEFAULT_RETRY_AFTER_SECONDS;
}
