import { sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  CLIENT_AUTH_METHODS,
  type ClientAuthMethod,
  type PublicKeyJwk,
} from '../clientCredential.ts';
import type { KeyRing } from '../crypto.ts';
import { parseRow, publicJwkColumn, scopeListColumn } from './rowParsing.ts';
import { CONNECTION_STATUSES, connections, ORG_KINDS, SCOPE_MODES } from './schema.ts';
import { sealColumn } from './sealedColumns.ts';

export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];
export type OrgKind = (typeof ORG_KINDS)[number];
export type ScopeMode = (typeof SCOPE_MODES)[number];

/** The names a flow can ask `readSecrets` for. */
export type ConnectionSecretName =
  | 'clientSecret'
  | 'clientPrivateKey'
  | 'pendingPrivateKey'
  | 'accessToken'
  | 'refreshToken';

/** Where each secret is sealed; the column name is part of its associated data. */
export const CONNECTION_SECRET_COLUMNS = {
  clientSecret: 'client_secret',
  clientPrivateKey: 'client_private_key',
  pendingPrivateKey: 'pending_private_key',
  accessToken: 'access_token',
  refreshToken: 'refresh_token',
} as const satisfies Record<ConnectionSecretName, string>;

/**
 * Not deleted: what a team sees. Written as literal SQL, not `ne()`, which binds 'deleted'
 * as a parameter: SQLite can use the partial unique index on (team_id, nickname_key) only
 * by looking at that value, so it prepares the statement again each time the value is
 * bound, which undoes `prepareReads` (25 µs a lookup instead of 3).
 */
export const live = sql`${connections.status} <> 'deleted'`;

/** Seals one of a connection's secrets, bound to its column and row. */
export function sealConnectionSecret(
  ring: KeyRing,
  name: ConnectionSecretName,
  id: string,
  value: string,
): string {
  return sealColumn(ring, 'connections', CONNECTION_SECRET_COLUMNS[name], id, value);
}

/** "Needs attention while still working", e.g. Insufficient Scope for `okta.logs.read`. */
export interface Attention {
  code: string;
  text: string | null;
  scope: string | null;
}

/** A key pair waiting for the admin to confirm that Okta has its public half. */
export interface PendingClientKey {
  jwk: PublicKeyJwk;
  createdAt: number;
}

/** The one open alert message about this connection. */
export interface NotifyMessage {
  channel: string;
  ts: string;
  incidentKey: string | null;
}

/**
 * A connection as every reader sees it: no secret, not even sealed. `hasClientSecret` and
 * `hasRefreshToken` say whether one is stored; `readSecrets` opens them by name.
 */
export interface Connection {
  id: string;
  teamId: string;
  nickname: string;
  orgKind: OrgKind;
  domain: string;
  clientId: string;
  scopeMode: ScopeMode;
  requestedScopes: string[];
  grantedScopes: string[];
  status: ConnectionStatus;
  statusCode: string | null;
  statusText: string | null;
  attention: Attention | null;
  hasClientSecret: boolean;
  hasRefreshToken: boolean;
  clientAuthMethod: ClientAuthMethod;
  /** With `private_key_jwt`: the public half of the key the bot signs with. */
  clientKey: PublicKeyJwk | null;
  pendingClientKey: PendingClientKey | null;
  accessExpiresAt: number | null;
  /** Last successful check or refresh; a failed one does not move it. */
  lastCheckedAt: number | null;
  lastRefreshedAt: number | null;
  failureCount: number;
  lastError: string | null;
  lastErrorAt: number | null;
  failingSince: number | null;
  authorizedSub: string | null;
  authorizedLogin: string | null;
  authorizedBy: string | null;
  authorizedAt: number | null;
  createdBy: string;
  notifyChannel: string | null;
  notifyMessage: NotifyMessage | null;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  version: number;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
}

const checkedColumns = z.object({
  status: z.enum(CONNECTION_STATUSES),
  orgKind: z.enum(ORG_KINDS),
  scopeMode: z.enum(SCOPE_MODES),
  requestedScopes: scopeListColumn,
  grantedScopes: scopeListColumn,
  clientAuthMethod: z.enum(CLIENT_AUTH_METHODS),
  clientPublicJwk: publicJwkColumn.nullable(),
  pendingPublicJwk: publicJwkColumn.nullable(),
});

export function toConnection(row: typeof connections.$inferSelect): Connection {
  const checked = parseRow(checkedColumns, row, 'connections');
  return {
    id: row.id,
    teamId: row.teamId,
    nickname: row.nickname,
    orgKind: checked.orgKind,
    domain: row.domain,
    clientId: row.clientId,
    scopeMode: checked.scopeMode,
    requestedScopes: checked.requestedScopes,
    grantedScopes: checked.grantedScopes,
    status: checked.status,
    statusCode: row.statusCode,
    statusText: row.statusText,
    attention:
      row.attentionCode === null
        ? null
        : { code: row.attentionCode, text: row.attentionText, scope: row.attentionScope },
    hasClientSecret: row.clientSecret !== null,
    hasRefreshToken: row.refreshToken !== null,
    clientAuthMethod: checked.clientAuthMethod,
    clientKey: checked.clientPublicJwk,
    pendingClientKey:
      checked.pendingPublicJwk === null
        ? null
        : { jwk: checked.pendingPublicJwk, createdAt: row.pendingKeyCreatedAt ?? row.updatedAt },
    accessExpiresAt: row.accessExpiresAt,
    lastCheckedAt: row.lastCheckedAt,
    lastRefreshedAt: row.lastRefreshedAt,
    failureCount: row.failureCount,
    lastError: row.lastError,
    lastErrorAt: row.lastErrorAt,
    failingSince: row.failingSince,
    authorizedSub: row.authorizedSub,
    authorizedLogin: row.authorizedLogin,
    authorizedBy: row.authorizedBy,
    authorizedAt: row.authorizedAt,
    createdBy: row.createdBy,
    notifyChannel: row.notifyChannel,
    notifyMessage:
      row.notifyMessageChannel === null || row.notifyMessageTs === null
        ? null
        : {
            channel: row.notifyMessageChannel,
            ts: row.notifyMessageTs,
            incidentKey: row.incidentKey,
          },
    leaseOwner: row.leaseOwner,
    leaseExpiresAt: row.leaseExpiresAt,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
}

/**
 * The uniqueness key of a nickname: Unicode-compatible form, trimmed, inner spaces
 * collapsed, lower-cased, so "Prod  Org" and "prod org" are the same name in a team.
 */
export function nicknameKey(nickname: string): string {
  return nickname.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

export type WriteResult =
  | { ok: true; connection: Connection }
  | { ok: false; code: 'not_found' | 'conflict' };
