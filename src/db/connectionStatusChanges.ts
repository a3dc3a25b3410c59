import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core';
import type { KeyRing } from '../crypto.ts';
import type { Clock } from './clock.ts';
import {
  type Attention,
  type ConnectionSecretName,
  live,
  type ScopeMode,
  sealConnectionSecret,
  toConnection,
  type WriteResult,
} from './connectionModel.ts';
import { connections as sqliteConnections } from './schema.ts';
import type { Store } from './store.ts';

export interface Authorization {
  grantedScopes: readonly string[];
  accessToken: string;
  /** `null` when Okta sent none (no `offline_access`, or the grant type is not allowed). */
  refreshToken: string | null;
  accessExpiresAt: number | null;
  authorizedSub: string | null;
  authorizedLogin: string | null;
  /** Slack user who completed the authorization. */
  authorizedBy: string;
  /** The secret typed for this attempt: stored only now that Okta accepted it. */
  clientSecret?: string;
  /** Set when a scope is still missing after this authorization; otherwise cleared. */
  attention?: Attention | null;
  /** Scopes chosen for this authorization, when they differ from the stored ones. */
  scopes?: { scopeMode: ScopeMode; requestedScopes: readonly string[] };
}

/** `then` for an active connection, else the column's current value (rendered by name in either dialect). */
const ifActive = (then: SQL, current: SQLiteColumn) =>
  sql`CASE WHEN ${sqliteConnections.status} = 'active' THEN ${then} ELSE ${current} END`;

/** The status machine of design §5, one conditional write per transition. */
export function createConnectionStatusChanges(store: Store, ring: KeyRing, clock: Clock) {
  const { db } = store;
  const { connections, authRequests } = store.tables;
  const sealFor = (name: ConnectionSecretName, id: string, value: string) =>
    sealConnectionSecret(ring, name, id, value);

  /**
   * A conditional update of a live row that returns the new row. Admin-visible changes
   * bump `version` so that two admins (or an admin and the sweep) editing the same
   * connection cannot silently overwrite each other when they pass `expectedVersion`.
   */
  async function change(
    id: string,
    values: SQLiteUpdateSetSource<typeof connections>,
    expectedVersion?: number,
  ): Promise<WriteResult> {
    const where = [eq(connections.id, id), live];
    if (expectedVersion !== undefined) where.push(eq(connections.version, expectedVersion));
    const [row] = await db
      .update(connections)
      .set({ ...values, version: sql`${connections.version} + 1`, updatedAt: clock() })
      .where(and(...where))
      .returning();
    if (row) return { ok: true, connection: toConnection(row) };
    const [current] = await db
      .select({ status: connections.status })
      .from(connections)
      .where(eq(connections.id, id));
    return { ok: false, code: !current || current.status === 'deleted' ? 'not_found' : 'conflict' };
  }

  return {
    /**
     * The callback succeeded. Clears any lease so that a refresh still in flight from
     * before the reauthorization cannot overwrite the new tokens with the old chain's.
     */
    markActive(id: string, auth: Authorization, expectedVersion?: number): Promise<WriteResult> {
      const now = clock();
      const attention = auth.attention ?? null;
      return change(
        id,
        {
          status: 'active',
          statusCode: null,
          statusText: null,
          grantedScopes: JSON.stringify(auth.grantedScopes),
          ...(auth.scopes
            ? {
                scopeMode: auth.scopes.scopeMode,
                requestedScopes: JSON.stringify(auth.scopes.requestedScopes),
              }
            : {}),
          accessToken: sealFor('accessToken', id, auth.accessToken),
          refreshToken:
            auth.refreshToken === null ? null : sealFor('refreshToken', id, auth.refreshToken),
          ...(auth.clientSecret === undefined
            ? {}
            : { clientSecret: sealFor('clientSecret', id, auth.clientSecret) }),
          accessExpiresAt: auth.accessExpiresAt,
          attentionCode: attention?.code ?? null,
          attentionText: attention?.text ?? null,
          attentionScope: attention?.scope ?? null,
          authorizedSub: auth.authorizedSub,
          authorizedLogin: auth.authorizedLogin,
          authorizedBy: auth.authorizedBy,
          authorizedAt: now,
          lastCheckedAt: now,
          lastRefreshedAt: now,
          failureCount: 0,
          failingSince: null,
          leaseOwner: null,
          leaseExpiresAt: null,
        },
        expectedVersion,
      );
    },

    markFailed: (id: string, code: string, text: string | null, expectedVersion?: number) =>
      change(id, { status: 'failed', statusCode: code, statusText: text }, expectedVersion),

    /** Also ends any lease: nothing is left to refresh until an admin reauthorizes. */
    markNeedsReauth: (id: string, code: string, text: string | null, expectedVersion?: number) =>
      change(
        id,
        {
          status: 'needs_reauth',
          statusCode: code,
          statusText: text,
          leaseOwner: null,
          leaseExpiresAt: null,
        },
        expectedVersion,
      ),

    setAttention: (id: string, attention: Attention, expectedVersion?: number) =>
      change(
        id,
        {
          attentionCode: attention.code,
          attentionText: attention.text,
          attentionScope: attention.scope,
        },
        expectedVersion,
      ),

    clearAttention: (id: string, expectedVersion?: number) =>
      change(
        id,
        { attentionCode: null, attentionText: null, attentionScope: null },
        expectedVersion,
      ),

    /**
     * New scopes take effect only through a reauthorization (Okta Workflows' rule), so an
     * active connection moves to `needs_reauth` with code `scopes_changed` in the same write.
     */
    updateScopes: (
      id: string,
      scopes: { scopeMode: ScopeMode; requestedScopes: readonly string[] },
      expectedVersion?: number,
    ) =>
      change(
        id,
        {
          scopeMode: scopes.scopeMode,
          requestedScopes: JSON.stringify(scopes.requestedScopes),
          status: ifActive(sql`'needs_reauth'`, connections.status),
          statusCode: ifActive(sql`'scopes_changed'`, connections.statusCode),
          statusText: ifActive(sql`NULL`, connections.statusText),
        },
        expectedVersion,
      ),

    /**
     * Soft delete (the audit trail still names the row). Every sealed value is wiped, on
     * the connection and on its authorization requests, whose links stop working.
     */
    markDeleted(id: string, expectedVersion?: number): Promise<WriteResult> {
      return store.transaction(async () => {
        const now = clock();
        const result = await change(
          id,
          {
            status: 'deleted',
            deletedAt: now,
            clientSecret: null,
            clientPrivateKey: null,
            pendingPrivateKey: null,
            accessToken: null,
            refreshToken: null,
            leaseOwner: null,
            leaseExpiresAt: null,
          },
          expectedVersion,
        );
        if (result.ok) {
          await db
            .update(authRequests)
            .set({
              pkceVerifier: null,
              clientSecret: null,
              consumedAt: sql`coalesce(${authRequests.consumedAt}, ${now})`,
              outcome: sql`coalesce(${authRequests.outcome}, 'connection_deleted')`,
            })
            .where(eq(authRequests.connectionId, id));
        }
        return result;
      });
    },
  };
}
