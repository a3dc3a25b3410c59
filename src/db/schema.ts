import { type SQL, sql } from 'drizzle-orm';
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import { CLIENT_AUTH_METHODS } from '../clientCredential.ts';

/**
 * The tables of design §4. Times are integer epoch milliseconds. Columns marked "sealed"
 * hold `crypto.seal()` output bound to `<table>.<column>:<row id>`; only the repositories
 * read or write them. JSON columns are validated with zod where they are read.
 *
 * The ID token is not stored: its claims (sub, login) are checked at the callback and
 * copied into `authorized_*`; nothing later needs the token itself, so keeping it would
 * only add a credential-like value to protect.
 *
 * Do not edit the generated SQL in drizzle/: change this file, then `npm run db:generate`.
 */

export const CONNECTION_STATUSES = [
  'pending',
  'active',
  'needs_reauth',
  'failed',
  'deleted',
] as const;
export const ORG_KINDS = ['home', 'other'] as const;
export const SCOPE_MODES = ['default', 'custom'] as const;
export const AUTH_PURPOSES = ['create', 'reauthorize'] as const;
/** What a connection-API key may do: GET through the proxy, any method, mint a raw token. */
export const API_KEY_ACTIONS = ['read', 'write', 'token'] as const;

/**
 * The Home tab's group of a connection as a number, its order: needs_reauth 0, active with
 * attention 1, failed 2, pending 3, active 4 (`GROUP_ORDER` in src/views/homeView.ts).
 * Indexed (`connections_home_order_idx`) so a page of the Home tab is read in order from
 * the index; queries must use this very expression for either database to match the
 * index, hence one definition for both schemas and the repository.
 */
export function homeRankOf(columns: { status: unknown; attentionCode: unknown }): SQL<number> {
  return sql<number>`(CASE
  WHEN ${columns.status} = 'needs_reauth' THEN 0
  WHEN ${columns.status} = 'active' AND ${columns.attentionCode} IS NOT NULL THEN 1
  WHEN ${columns.status} = 'pending' THEN 3
  WHEN ${columns.status} = 'active' THEN 4
  ELSE 2 END)`;
}

/** `homeRankOf` for values already read (a `connection_counts` row: no attention is `''`). */
export function homeRankOfValues(status: string, attentionCode: string | null): number {
  if (status === 'needs_reauth') return 0;
  if (status === 'active') return attentionCode ? 1 : 4;
  if (status === 'pending') return 3;
  return 2;
}

export const connections = sqliteTable(
  'connections',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id').notNull(),
    nickname: text('nickname').notNull(),
    /** Normalized, lower-cased nickname: the case-insensitive uniqueness key. */
    nicknameKey: text('nickname_key').notNull(),
    /** The nickname key before the last rename: the API answers that name with a hint. */
    previousNicknameKey: text('previous_nickname_key'),
    orgKind: text('org_kind', { enum: ORG_KINDS }).notNull(),
    domain: text('domain').notNull(),
    clientId: text('client_id').notNull(),
    clientSecret: text('client_secret'), // sealed
    /** How the bot authenticates as the app; rows from before key pairs use the secret. */
    clientAuthMethod: text('client_auth_method', { enum: CLIENT_AUTH_METHODS })
      .notNull()
      .default('client_secret_basic'),
    /** The key pair for `private_key_jwt`: the public JWK (JSON, shown to admins) and the private key. */
    clientPublicJwk: text('client_public_jwk'),
    clientPrivateKey: text('client_private_key'), // sealed
    /** A new key pair during a rotation, used only once the admin confirms Okta has it. */
    pendingPublicJwk: text('pending_public_jwk'),
    pendingPrivateKey: text('pending_private_key'), // sealed
    pendingKeyCreatedAt: integer('pending_key_created_at'),
    scopeMode: text('scope_mode', { enum: SCOPE_MODES }).notNull(),
    requestedScopes: text('requested_scopes').notNull().default('[]'), // JSON string[]
    grantedScopes: text('granted_scopes').notNull().default('[]'), // JSON string[]
    status: text('status', { enum: CONNECTION_STATUSES }).notNull().default('pending'),
    statusCode: text('status_code'),
    statusText: text('status_text'),
    attentionCode: text('attention_code'),
    attentionText: text('attention_text'),
    attentionScope: text('attention_scope'),
    accessToken: text('access_token'), // sealed
    refreshToken: text('refresh_token'), // sealed
    accessExpiresAt: integer('access_expires_at'),
    lastCheckedAt: integer('last_checked_at'),
    lastRefreshedAt: integer('last_refreshed_at'),
    failureCount: integer('failure_count').notNull().default(0),
    lastError: text('last_error'),
    lastErrorAt: integer('last_error_at'),
    failingSince: integer('failing_since'),
    authorizedSub: text('authorized_sub'),
    authorizedLogin: text('authorized_login'),
    authorizedBy: text('authorized_by'),
    authorizedAt: integer('authorized_at'),
    createdBy: text('created_by').notNull(),
    notifyChannel: text('notify_channel'),
    notifyMessageChannel: text('notify_message_channel'),
    notifyMessageTs: text('notify_message_ts'),
    /** What the open alert is about (e.g. `needs_reauth:invalid_grant`), to edit rather than repeat it. */
    incidentKey: text('incident_key'),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: integer('lease_expires_at'),
    version: integer('version').notNull().default(1),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    deletedAt: integer('deleted_at'),
  },
  (t) => [
    // Partial: a deleted connection's nickname can be used again.
    uniqueIndex('connections_team_nickname_unique')
      .on(t.teamId, t.nicknameKey)
      .where(sql`status != 'deleted'`),
    // Counts by status and attention (Home tab, list) read the index alone.
    index('connections_team_status_attention_idx').on(t.teamId, t.status, t.attentionCode),
    // A page of the Home tab in its order, read from the index alone (see homeRankOf): the
    // rank's own columns come last so that PostgreSQL, which cannot read an expression's
    // value from an index, can still answer from it.
    index('connections_home_order_idx')
      .on(t.teamId, homeRankOf(t), t.nicknameKey, t.id, t.status, t.attentionCode)
      .where(sql`status != 'deleted'`),
    index('connections_status_expires_idx').on(t.status, t.accessExpiresAt),
    index('connections_status_checked_idx').on(t.status, t.lastCheckedAt),
  ],
);

export const authRequests = sqliteTable(
  'auth_requests',
  {
    id: text('id').primaryKey(),
    connectionId: text('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    teamId: text('team_id').notNull(),
    purpose: text('purpose', { enum: AUTH_PURPOSES }).notNull(),
    scopeMode: text('scope_mode', { enum: SCOPE_MODES }).notNull().default('default'),
    /** The connection's version when the link was made: a later change means someone else acted first. */
    connectionVersion: integer('connection_version'),
    linkTokenHash: text('link_token_hash').notNull().unique(),
    linkUsedAt: integer('link_used_at'),
    stateHash: text('state_hash').unique(),
    browserBindingHash: text('browser_binding_hash'),
    pkceVerifier: text('pkce_verifier'), // sealed
    nonce: text('nonce'),
    /** The secret typed for this attempt; moved to the connection only on success. Sealed. */
    clientSecret: text('client_secret'),
    requestedScopes: text('requested_scopes').notNull().default('[]'), // JSON string[]
    slackUserId: text('slack_user_id').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    consumedAt: integer('consumed_at'),
    outcome: text('outcome'),
  },
  (t) => [
    index('auth_requests_expires_idx').on(t.expiresAt),
    index('auth_requests_connection_idx').on(t.connectionId),
  ],
);

/** Append-only. No foreign key: the trail outlives the connections it talks about. */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: text('team_id').notNull(),
    connectionId: text('connection_id'),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    details: text('details').notNull().default('{}'), // JSON object, never a secret
    at: integer('at').notNull(),
  },
  (t) => [
    index('audit_events_team_idx').on(t.teamId, t.id),
    index('audit_events_connection_idx').on(t.connectionId, t.id),
  ],
);

/**
 * Keys of the connection API managed in Slack (issue 13). Only the SHA-256 of a key is
 * stored, and only once its single-use page has been opened: the key is made at that
 * moment, so it never exists anywhere before the admin sees it, and never in this table.
 */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    /** `key_…`: names the key in the audit trail, logs and metrics, and gives nothing away. */
    id: text('id').primaryKey(),
    teamId: text('team_id').notNull(),
    name: text('name').notNull(),
    /** Lower-cased name: unique per team among keys not revoked. */
    nameKey: text('name_key').notNull(),
    /** Every connection of the team, present and future; else those in api_key_connections. */
    allConnections: integer('all_connections', { mode: 'boolean' }).notNull().default(false),
    actions: text('actions').notNull().default('[]'), // JSON ApiKeyAction[]
    /** Null until the key page was opened. */
    keyHash: text('key_hash').unique(),
    linkTokenHash: text('link_token_hash').notNull().unique(),
    linkExpiresAt: integer('link_expires_at').notNull(),
    revealedAt: integer('revealed_at'),
    expiresAt: integer('expires_at'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at'),
    lastUsedIp: text('last_used_ip'),
    revokedAt: integer('revoked_at'),
    revokedBy: text('revoked_by'),
  },
  (t) => [
    uniqueIndex('api_keys_team_name_unique').on(t.teamId, t.nameKey).where(sql`revoked_at is null`),
    index('api_keys_team_idx').on(t.teamId, t.createdAt),
  ],
);

/** The connections a key may use, by id: a rename keeps them, a delete removes them. */
export const apiKeyConnections = sqliteTable(
  'api_key_connections',
  {
    keyId: text('key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    connectionId: text('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.keyId, t.connectionId] }),
    index('api_key_connections_connection_idx').on(t.connectionId),
  ],
);

/**
 * The answer given to each final modal submission, by view id, for a while: Slack
 * delivers a submission again when the first answer was late, and with several replicas
 * the second delivery reaches another process, which must give the same answer rather
 * than act twice. `response` is null while the first delivery is being handled.
 */
export const slackDeliveries = sqliteTable(
  'slack_deliveries',
  {
    deliveryKey: text('delivery_key').primaryKey(),
    response: text('response'), // JSON of the answer
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('slack_deliveries_expires_idx').on(t.expiresAt)],
);

/**
 * Each Okta org's rate-limit window as the bot last saw it (`X-Rate-Limit-*`), shared by
 * every replica so that together they spend one org's budget, not one budget each.
 * `remaining` counts down with every claim made before a background request, and is
 * lowered to what Okta reports; null while Okta has not said (no window known yet).
 * `reset_at` (ms) is when the window ends, null after it ended until Okta names the next.
 */
export const orgRateWindows = sqliteTable('org_rate_windows', {
  org: text('org').primaryKey(),
  requestLimit: integer('request_limit'),
  remaining: integer('remaining'),
  resetAt: integer('reset_at'),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * Background requests to an org that were claimed and not yet released, by any replica:
 * the bound on requests in flight per org. A claim left by a process that died frees
 * itself at `expires_at`.
 */
export const orgRateClaims = sqliteTable(
  'org_rate_claims',
  {
    id: text('id').primaryKey(),
    org: text('org').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('org_rate_claims_org_idx').on(t.org, t.expiresAt)],
);

/**
 * Who opened the bot's Home tab recently and on which page, so that a change handled by
 * any replica republishes their tab. Forgotten after a while (see homeRefresher.ts).
 */
export const homeViewers = sqliteTable(
  'home_viewers',
  {
    teamId: text('team_id').notNull(),
    userId: text('user_id').notNull(),
    page: integer('page').notNull(),
    seenAt: integer('seen_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.userId] }),
    index('home_viewers_seen_idx').on(t.seenAt),
  ],
);

/**
 * How many connections each team has per status and attention code, kept exactly right by
 * triggers on `connections` (the migration `connection_counts` writes them, per dialect,
 * and fills the table from the rows already there). Derived: `migrate-store` does not copy
 * it, the target's triggers build it. `attention_code` is '' for none (NULL cannot be part
 * of a primary key). A row whose count falls to 0 stays.
 */
export const connectionCounts = sqliteTable(
  'connection_counts',
  {
    teamId: text('team_id').notNull(),
    status: text('status', { enum: CONNECTION_STATUSES }).notNull(),
    attentionCode: text('attention_code').notNull().default(''),
    n: integer('n').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.status, t.attentionCode] }),
    // /metrics sums by status: through this index PostgreSQL reads the live rows only, not
    // the pages of row versions a bulk load left behind (docs/benchmarks.md, issue 12 §4).
    // Not on `n`, so that a counter's update stays a heap-only (HOT) update.
    index('connection_counts_status_idx').on(t.status),
  ],
);
