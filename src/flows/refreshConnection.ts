import type { Connection } from '../db/connectionsRepo.ts';
import { type BotError, isBotError } from '../errors.ts';
import { refreshTokens } from '../okta/refreshTokens.ts';
import { storedCredential } from './clientCredentials.ts';
import type { FlowDeps } from './deps.ts';

/** Refresh when the access token has less than this left (issue: "expires within 10 minutes"). */
export const REFRESH_BEFORE_EXPIRY_MS = 10 * 60 * 1000;
/**
 * Okta's refresh tokens lapse when unused and a revoked one shows only when used: a
 * connection is touched at least daily so an admin hears of a problem before a workflow
 * does.
 */
export const CHECK_AT_LEAST_EVERY_MS = 24 * 60 * 60 * 1000;
/** Okta's answer codes after which only an admin can help. */
const NEEDS_ADMIN = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client']);

export type RefreshOutcome =
  | { kind: 'refreshed'; connection: Connection; rotated: boolean }
  | { kind: 'fresh'; connection: Connection }
  | { kind: 'busy' }
  | { kind: 'skipped'; reason: 'not_active' | 'gone' | 'no_refresh_token' }
  | { kind: 'needs_reauth'; connection: Connection; code: string }
  | { kind: 'lease_lost' }
  | { kind: 'failed'; error: BotError };

/**
 * The words stored as the reason when Okta refuses a refresh. `interrupted`: the previous
 * refresh never finished (its lease was left behind), which with refresh token rotation
 * explains an `invalid_grant` better than anything an admin did.
 */
function refusalText(code: string, interrupted = false): string {
  if (code === 'invalid_grant' && interrupted) {
    return 'Okta refused the refresh token (invalid or expired), most likely because the bot stopped in the middle of a refresh: Okta had already replaced the token, the new one was never saved, and the old one was used again after Okta’s grace period, so Okta revoked all of the connection’s tokens (refresh token rotation).';
  }
  switch (code) {
    case 'invalid_grant':
      return 'Okta refused the refresh token (invalid or expired): it was revoked, expired, or the admin’s access changed.';
    case 'invalid_client':
      return 'Okta refused the client credentials: the client secret or key pair was changed, or the app was removed.';
    default:
      return 'Okta no longer lets the app use refresh tokens (Refresh Token grant type turned off).';
  }
}

function isDue(connection: Connection, now: number, force: boolean): boolean {
  if (force) return true;
  if (connection.accessExpiresAt === null || connection.lastCheckedAt === null) return true;
  return (
    connection.accessExpiresAt - now <= REFRESH_BEFORE_EXPIRY_MS ||
    now - connection.lastCheckedAt >= CHECK_AT_LEAST_EVERY_MS
  );
}

/**
 * Refreshes one connection's access token under the row's lease (design §5): one
 * refresher per connection across every process on the database. After taking the
 * lease the row is read again, since another process may have refreshed it a moment
 * ago; the new refresh token is written in the same statement that releases the lease,
 * before anything else happens with it, because Okta has already spent the old one.
 */
export async function refreshConnection(
  deps: FlowDeps,
  target: { teamId: string; id: string },
  options: { owner: string; force?: boolean; onOktaCall?: () => Promise<() => void> },
): Promise<RefreshOutcome> {
  const now = deps.now();
  // A lease left behind (run out, or ended at start-up for a process that stopped): the
  // last refresh never finished, and Okta may have rotated the token without the bot
  // saving the new one.
  const before = await deps.connections.findById(target.teamId, target.id);
  const interrupted = before?.leaseOwner != null && (before.leaseExpiresAt ?? 0) <= now;
  if (!(await deps.connections.tryTakeLease(target.id, options.owner, now))) {
    // The row read just before says why the lease was not ours; no need to read it again.
    if (!before) return { kind: 'skipped', reason: 'gone' };
    return before.status === 'active'
      ? { kind: 'busy' }
      : { kind: 'skipped', reason: 'not_active' };
  }
  const connection = await deps.connections.findById(target.teamId, target.id);
  if (connection?.status !== 'active') {
    await deps.connections.releaseLease(target.id, options.owner);
    return { kind: 'skipped', reason: connection ? 'not_active' : 'gone' };
  }
  if (!isDue(connection, now, options.force ?? false)) {
    await deps.connections.releaseLease(target.id, options.owner);
    return { kind: 'fresh', connection };
  }
  const credential = await storedCredential(deps, connection);
  let secrets = await deps.connections.readSecrets(connection.id, ['refreshToken']);
  if (!secrets?.refreshToken || !credential) {
    await deps.connections.releaseLease(target.id, options.owner);
    return { kind: 'skipped', reason: 'no_refresh_token' };
  }

  const done = options.onOktaCall ? await options.onOktaCall() : undefined;
  if (done) {
    // The rate gate can hold a refresher past its lease (a spent rate-limit window lasts
    // up to a minute): another process may have taken the connection and spent the
    // refresh token meanwhile. Go on only while the lease is still ours, with the token
    // on disk now.
    if (!(await deps.connections.renewLease(connection.id, options.owner, deps.now()))) {
      done();
      return { kind: 'lease_lost' };
    }
    secrets = await deps.connections.readSecrets(connection.id, ['refreshToken']);
    if (!secrets?.refreshToken) {
      done();
      await deps.connections.releaseLease(target.id, options.owner);
      return { kind: 'skipped', reason: 'no_refresh_token' };
    }
  }
  let refreshed: Awaited<ReturnType<typeof refreshTokens>>;
  try {
    refreshed = await refreshTokens(deps.orgs, {
      domain: connection.domain,
      clientId: connection.clientId,
      credential,
      refreshToken: secrets.refreshToken,
      now: deps.now,
    });
  } catch (error) {
    done?.();
    if (!isBotError(error)) {
      await deps.connections.releaseLease(target.id, options.owner);
      throw error;
    }
    if (NEEDS_ADMIN.has(error.code)) {
      const marked = await deps.connections.markNeedsReauth(
        connection.id,
        error.code,
        refusalText(error.code, interrupted),
      );
      await deps.audit.record({
        teamId: connection.teamId,
        connectionId: connection.id,
        actor: 'system',
        action: 'connection.needs_reauth',
        details: { reason: error.code, ...(interrupted ? { afterInterruptedRefresh: true } : {}) },
      });
      return marked.ok
        ? { kind: 'needs_reauth', connection: marked.connection, code: error.code }
        : { kind: 'skipped', reason: 'gone' };
    }
    // Not counted here: a caller that retries counts the failure once it gives up.
    await deps.connections.releaseLease(target.id, options.owner);
    return { kind: 'failed', error };
  }
  done?.();
  const saved = await deps.connections.saveRefreshedTokensAndRelease(connection.id, options.owner, {
    accessToken: refreshed.accessToken,
    refreshToken: refreshed.refreshToken,
    accessExpiresAt: refreshed.accessExpiresAt,
    ...(refreshed.grantedScopes ? { grantedScopes: refreshed.grantedScopes } : {}),
  });
  if (!saved) {
    // A reauthorization or deletion replaced this chain while Okta answered; the new
    // tokens belong to nothing now.
    deps.logger.warn(
      { connectionId: connection.id },
      'refresh finished after the lease was taken away',
    );
    return { kind: 'lease_lost' };
  }
  const after = (await deps.connections.findById(connection.teamId, connection.id)) ?? connection;
  return { kind: 'refreshed', connection: after, rotated: refreshed.refreshToken !== null };
}

/** A short reason for admins and logs: never a body or a token. */
export function describeFailure(error: BotError): string {
  const status = error.details.status;
  switch (error.code) {
    case 'okta_unreachable':
      return 'Okta could not be reached';
    case 'okta_unavailable':
      return `Okta answered with a server error${status ? ` (HTTP ${status})` : ''}`;
    case 'okta_rate_limited':
      return 'Okta rate limited the bot (HTTP 429)';
    default:
      return `Okta answered ${error.code}`;
  }
}
