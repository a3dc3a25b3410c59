import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { CLIENT_AUTH_METHODS } from '../clientCredential.ts';
import {
  AUTH_PURPOSES,
  CONNECTION_STATUSES,
  homeRankOf,
  ORG_KINDS,
  SCOPE_MODES,
} from './schema.ts';

/**
 * The PostgreSQL twin of schema.ts: the same tables, columns, indexes and constraints,
 * which test/db/schemasMatch.test.ts compares so they cannot drift. Change both files,
 * then `npm run db:generate`, which writes each dialect's migration.
 *
 * Times are epoch milliseconds as in SQLite: `bigint` read as a JavaScript number (they
 * stay far below 2^53). Enumerations are `text`, checked by the repositories as in SQLite,
 * so that one migration per dialect adds a value the same way.
 */
const epochMs = (name: string) => bigint(name, { mode: 'number' });

export const connections = pgTable(
  'connections',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id').notNull(),
    nickname: text('nickname').notNull(),
    nicknameKey: text('nickname_key').notNull(),
    previousNicknameKey: text('previous_nickname_key'),
    orgKind: text('org_kind', { enum: ORG_KINDS }).notNull(),
    domain: text('domain').notNull(),
    clientId: text('client_id').notNull(),
    clientSecret: text('client_secret'),
    clientAuthMethod: text('client_auth_method', { enum: CLIENT_AUTH_METHODS })
      .notNull()
      .default('client_secret_basic'),
    clientPublicJwk: text('client_public_jwk'),
    clientPrivateKey: text('client_private_key'),
    pendingPublicJwk: text('pending_public_jwk'),
    pendingPrivateKey: text('pending_private_key'),
    pendingKeyCreatedAt: epochMs('pending_key_created_at'),
    scopeMode: text('scope_mode', { enum: SCOPE_MODES }).notNull(),
    requestedScopes: text('requested_scopes').notNull().default('[]'),
    grantedScopes: text('granted_scopes').notNull().default('[]'),
    status: text('status', { enum: CONNECTION_STATUSES }).notNull().default('pending'),
    statusCode: text('status_code'),
    statusText: text('status_text'),
    attentionCode: text('attention_code'),
    attentionText: text('attention_text'),
    attentionScope: text('attention_scope'),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    accessExpiresAt: epochMs('access_expires_at'),
    lastCheckedAt: epochMs('last_checked_at'),
    lastRefreshedAt: epochMs('last_refreshed_at'),
    failureCount: integer('failure_count').notNull().default(0),
    lastError: text('last_error'),
    lastErrorAt: epochMs('last_error_at'),
    failingSince: epochMs('failing_since'),
    authorizedSub: text('authorized_sub'),
    authorizedLogin: text('authorized_login'),
    authorizedBy: text('authorized_by'),
    authorizedAt: epochMs('authorized_at'),
    createdBy: text('created_by').notNull(),
    notifyChannel: text('notify_channel'),
    notifyMessageChannel: text('notify_message_channel'),
    notifyMessageTs: text('notify_message_ts'),
    incidentKey: text('incident_key'),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: epochMs('lease_expires_at'),
    version: integer('version').notNull().default(1),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
    deletedAt: epochMs('deleted_at'),
  },
  (t) => [
    uniqueIndex('connections_team_nickname_unique')
      .on(t.teamId, t.nicknameKey)
      .where(sql`status != 'deleted'`),
    index('connections_team_status_attention_idx').on(t.teamId, t.status, t.attentionCode),
    index('connections_home_order_idx')
      .on(t.teamId, homeRankOf(t), t.nicknameKey, t.id, t.status, t.attentionCode)
      .where(sql`status != 'deleted'`),
    index('connections_status_expires_idx').on(t.status, t.accessExpiresAt),
    index('connections_status_checked_idx').on(t.status, t.lastCheckedAt),
  ],
);

export const authRequests = pgTable(
  'auth_requests',
  {
    id: text('id').primaryKey(),
    connectionId: text('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    teamId: text('team_id').notNull(),
    purpose: text('purpose', { enum: AUTH_PURPOSES }).notNull(),
    scopeMode: text('scope_mode', { enum: SCOPE_MODES }).notNull().default('default'),
    connectionVersion: integer('connection_version'),
    linkTokenHash: text('link_token_hash').notNull().unique(),
    linkUsedAt: epochMs('link_used_at'),
    stateHash: text('state_hash').unique(),
    browserBindingHash: text('browser_binding_hash'),
    pkceVerifier: text('pkce_verifier'),
    nonce: text('nonce'),
    clientSecret: text('client_secret'),
    requestedScopes: text('requested_scopes').notNull().default('[]'),
    slackUserId: text('slack_user_id').notNull(),
    createdAt: epochMs('created_at').notNull(),
    expiresAt: epochMs('expires_at').notNull(),
    consumedAt: epochMs('consumed_at'),
    outcome: text('outcome'),
  },
  (t) => [
    index('auth_requests_expires_idx').on(t.expiresAt),
    index('auth_requests_connection_idx').on(t.connectionId),
  ],
);

export const auditEvents = pgTable(
  'audit_events',
  {
    // By default, not always: migrate-store copies SQLite's ids as they are.
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    teamId: text('team_id').notNull(),
    connectionId: text('connection_id'),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    details: text('details').notNull().default('{}'),
    at: epochMs('at').notNull(),
  },
  (t) => [
    index('audit_events_team_idx').on(t.teamId, t.id),
    index('audit_events_connection_idx').on(t.connectionId, t.id),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id').notNull(),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    allConnections: boolean('all_connections').notNull().default(false),
    actions: text('actions').notNull().default('[]'),
    keyHash: text('key_hash').unique(),
    linkTokenHash: text('link_token_hash').notNull().unique(),
    linkExpiresAt: epochMs('link_expires_at').notNull(),
    revealedAt: epochMs('revealed_at'),
    expiresAt: epochMs('expires_at'),
    createdBy: text('created_by').notNull(),
    createdAt: epochMs('created_at').notNull(),
    lastUsedAt: epochMs('last_used_at'),
    lastUsedIp: text('last_used_ip'),
    revokedAt: epochMs('revoked_at'),
    revokedBy: text('revoked_by'),
  },
  (t) => [
    uniqueIndex('api_keys_team_name_unique').on(t.teamId, t.nameKey).where(sql`revoked_at is null`),
    index('api_keys_team_idx').on(t.teamId, t.createdAt),
  ],
);

export const apiKeyConnections = pgTable(
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

export const slackDeliveries = pgTable(
  'slack_deliveries',
  {
    deliveryKey: text('delivery_key').primaryKey(),
    response: text('response'),
    createdAt: epochMs('created_at').notNull(),
    expiresAt: epochMs('expires_at').notNull(),
  },
  (t) => [index('slack_deliveries_expires_idx').on(t.expiresAt)],
);

export const orgRateWindows = pgTable('org_rate_windows', {
  org: text('org').primaryKey(),
  requestLimit: integer('request_limit'),
  remaining: integer('remaining'),
  resetAt: epochMs('reset_at'),
  updatedAt: epochMs('updated_at').notNull(),
});

export const orgRateClaims = pgTable(
  'org_rate_claims',
  {
    id: text('id').primaryKey(),
    org: text('org').notNull(),
    expiresAt: epochMs('expires_at').notNull(),
  },
  (t) => [index('org_rate_claims_org_idx').on(t.org, t.expiresAt)],
);

export const homeViewers = pgTable(
  'home_viewers',
  {
    teamId: text('team_id').notNull(),
    userId: text('user_id').notNull(),
    page: integer('page').notNull(),
    seenAt: epochMs('seen_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.userId] }),
    index('home_viewers_seen_idx').on(t.seenAt),
  ],
);

/** See schema.ts: kept by triggers on `connections`, never written by the bot. */
export const connectionCounts = pgTable(
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
