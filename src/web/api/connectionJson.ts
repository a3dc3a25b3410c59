import type { Connection } from '../../db/connectionsRepo.ts';

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

/**
 * A connection as the API shows it. Every field is picked by name, so a column added to
 * the row later (a lease owner, a sealed value) never reaches a tool unless it is added
 * here on purpose.
 */
export function connectionJson(connection: Connection) {
  return {
    id: connection.id,
    team_id: connection.teamId,
    nickname: connection.nickname,
    domain: connection.domain,
    org_kind: connection.orgKind,
    client_id: connection.clientId,
    /** How the bot authenticates as the app; for a key pair, the public key's id (never the key). */
    client_auth: {
      method: connection.clientAuthMethod,
      key_id: connection.clientKey?.kid ?? null,
      pending_key_id: connection.pendingClientKey?.jwk.kid ?? null,
    },
    status: connection.status,
    status_code: connection.statusCode,
    status_text: connection.statusText,
    attention: connection.attention
      ? {
          code: connection.attention.code,
          text: connection.attention.text,
          scope: connection.attention.scope,
        }
      : null,
    scopes: {
      mode: connection.scopeMode,
      requested: [...connection.requestedScopes],
      granted: [...connection.grantedScopes],
    },
    access_expires_at: iso(connection.accessExpiresAt),
    last_checked_at: iso(connection.lastCheckedAt),
    last_refreshed_at: iso(connection.lastRefreshedAt),
    last_error: connection.lastError,
    last_error_at: iso(connection.lastErrorAt),
    failing_since: iso(connection.failingSince),
    failure_count: connection.failureCount,
    authorized_login: connection.authorizedLogin,
    authorized_by: connection.authorizedBy,
    authorized_at: iso(connection.authorizedAt),
    created_by: connection.createdBy,
    created_at: iso(connection.createdAt),
  };
}
