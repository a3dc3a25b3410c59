import { hashToken } from '../crypto.ts';
import type { ApiKeyAction } from '../db/apiKeysRepo.ts';
import type { FlowDeps } from './deps.ts';

/** Who is calling the connection API, and what it may do. */
export interface ApiPrincipal {
  /** `key_…` for a managed key, the first 8 hex digits of the hash for an `API_KEY_HASHES` one. */
  id: string;
  /** The managed key's name; null for a key from the environment. */
  name: string | null;
  /** The only Slack team whose connections the key reaches; null: every team. */
  teamId: string | null;
  /** The connection ids the key may use; null: all of its team's. */
  connectionIds: ReadonlySet<string> | null;
  actions: ReadonlySet<ApiKeyAction>;
}

export const ALL_ACTIONS: readonly ApiKeyAction[] = ['read', 'write', 'token'];

/** What a call needs: the token, or a proxied call with its method. */
export type ApiNeed = { kind: 'token' } | { kind: 'proxy'; method: string } | { kind: 'metadata' };

export interface MissingRights {
  action: ApiKeyAction | null;
  connection: boolean;
}

/**
 * What the key lacks for this call on this connection, or null when it may go on.
 * `write` covers every method through the proxy, reads included; `read` is GET alone.
 */
export function missingRights(
  key: ApiPrincipal,
  need: ApiNeed,
  connectionId: string,
): MissingRights | null {
  const connection = key.connectionIds !== null && !key.connectionIds.has(connectionId);
  let action: ApiKeyAction | null = null;
  if (need.kind === 'token' && !key.actions.has('token')) action = 'token';
  if (need.kind === 'proxy') {
    const reads = need.method === 'GET';
    if (reads && !key.actions.has('read') && !key.actions.has('write')) action = 'read';
    if (!reads && !key.actions.has('write')) action = 'write';
  }
  return connection || action ? { action, connection } : null;
}

export type KeyCheck =
  | { ok: true; key: ApiPrincipal }
  | { ok: false; code: 'unknown' }
  | { ok: false; code: 'expired' | 'revoked'; key: ApiPrincipal };

/**
 * The managed key `presented` is, read from the database on every call, so that a
 * revocation by any replica counts on the very next request. A use is noted (time and
 * address) only when the key is valid.
 */
export async function checkManagedKey(
  deps: FlowDeps,
  presented: string,
  ip: string | null,
): Promise<KeyCheck> {
  const record = await deps.apiKeys.findByKeyHash(hashToken(presented));
  if (!record) return { ok: false, code: 'unknown' };
  const key: ApiPrincipal = {
    id: record.id,
    name: record.name,
    teamId: record.teamId,
    connectionIds: record.connectionIds === null ? null : new Set(record.connectionIds),
    actions: new Set(record.actions),
  };
  if (record.revokedAt !== null) return { ok: false, code: 'revoked', key };
  if (record.expiresAt !== null && record.expiresAt <= deps.now()) {
    return { ok: false, code: 'expired', key };
  }
  await deps.apiKeys.noteUse(record.id, ip);
  return { ok: true, key };
}
