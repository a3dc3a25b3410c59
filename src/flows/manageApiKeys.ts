import type { ApiKeyAction, ApiKeyRecord } from '../db/apiKeysRepo.ts';
import type { FlowDeps } from './deps.ts';

/** Like a setup link: the key page must be opened within 15 minutes. */
export const KEY_LINK_TTL_MS = 15 * 60 * 1000;

export interface ApiKeyRequest {
  teamId: string;
  actor: string;
  name: string;
  /** null: every connection of the team. */
  connectionIds: readonly string[] | null;
  actions: readonly ApiKeyAction[];
  /** Days until the key stops working; null: it does not expire. */
  expiresInDays: number | null;
}

export type CreateKeyOutcome =
  | { ok: true; record: ApiKeyRecord; url: string; linkExpiresAt: number }
  | { ok: false; code: 'name_taken' | 'connection_unknown' };

/**
 * A new key for the team, waiting for its page to be opened: the key itself is made
 * there, so it never passes through Slack. Connections are checked to be the team's own.
 */
export async function createApiKey(
  deps: FlowDeps,
  input: ApiKeyRequest,
): Promise<CreateKeyOutcome> {
  if (input.connectionIds) {
    for (const id of input.connectionIds) {
      if (!(await deps.connections.findById(input.teamId, id))) {
        return { ok: false, code: 'connection_unknown' };
      }
    }
  }
  const now = deps.now();
  const linkExpiresAt = now + KEY_LINK_TTL_MS;
  const created = await deps.apiKeys.create({
    teamId: input.teamId,
    name: input.name,
    connectionIds: input.connectionIds,
    actions: input.actions,
    expiresAt: input.expiresInDays === null ? null : now + input.expiresInDays * 86_400_000,
    createdBy: input.actor,
    linkExpiresAt,
  });
  if (!created.ok) return created;
  const { record } = created;
  await deps.audit.record({
    teamId: input.teamId,
    actor: input.actor,
    action: 'api_key.created',
    details: {
      keyId: record.id,
      keyName: record.name,
      connections: record.connectionIds ?? 'all',
      actions: record.actions,
      expiresAt: record.expiresAt,
    },
  });
  return {
    ok: true,
    record,
    url: `${deps.settings.publicUrl}/apikey/${created.linkToken}`,
    linkExpiresAt,
  };
}

/** Revokes the team's key of this id at once; every replica reads it on the next request. */
export async function revokeApiKey(
  deps: FlowDeps,
  input: { teamId: string; actor: string; keyId: string },
): Promise<{ ok: true; name: string } | { ok: false; code: 'not_found' }> {
  const revoked = await deps.apiKeys.revoke(input.teamId, input.keyId, input.actor);
  if (!revoked) return { ok: false, code: 'not_found' };
  await deps.audit.record({
    teamId: input.teamId,
    actor: input.actor,
    action: 'api_key.revoked',
    details: { keyId: revoked.id, keyName: revoked.name },
  });
  return { ok: true, name: revoked.name };
}

/** Opens a key's single-use page: the key, shown this once, and the audit row saying so. */
export async function revealApiKey(
  deps: FlowDeps,
  linkToken: string,
): Promise<
  | { ok: true; key: string; listing: ApiKeyListing }
  | { ok: false; code: 'unknown' | 'used' | 'expired' | 'revoked' }
> {
  const revealed = await deps.apiKeys.reveal(linkToken);
  if (!revealed.ok) return revealed;
  const { record } = revealed;
  await deps.audit.record({
    teamId: record.teamId,
    actor: record.createdBy,
    action: 'api_key.shown',
    details: { keyId: record.id, keyName: record.name },
  });
  return { ok: true, key: revealed.key, listing: await listingOf(deps, record) };
}

/** A key as the admins see it, with its connections by their current nicknames. */
export interface ApiKeyListing {
  record: ApiKeyRecord;
  /** null: all connections. */
  nicknames: string[] | null;
}

/** The team's keys not revoked, each with the nicknames of the connections it may use. */
export async function listApiKeys(deps: FlowDeps, teamId: string): Promise<ApiKeyListing[]> {
  const listings: ApiKeyListing[] = [];
  for (const record of await deps.apiKeys.listLive(teamId)) {
    listings.push(await listingOf(deps, record));
  }
  return listings;
}

async function listingOf(deps: FlowDeps, record: ApiKeyRecord): Promise<ApiKeyListing> {
  if (!record.connectionIds) return { record, nicknames: null };
  const nicknames: string[] = [];
  for (const id of record.connectionIds) {
    const connection = await deps.connections.findById(record.teamId, id);
    if (connection) nicknames.push(connection.nickname);
  }
  return { record, nicknames };
}
