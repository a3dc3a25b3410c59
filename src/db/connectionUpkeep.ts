import { and, asc, eq, gt, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { KeyRing } from '../crypto.ts';
import type { Clock } from './clock.ts';
import {
  type Connection,
  type ConnectionSecretName,
  live,
  sealConnectionSecret,
  toConnection,
} from './connectionModel.ts';
import type { Store } from './store.ts';

/**
 * How long a refresh lease lasts. It must outlast one refresh call with its timeout and
 * retries (well under 30 s), so that a slow refresh is never overtaken by a second
 * process using the same refresh token; and stay short enough that a crashed process
 * holds a connection for only a minute.
 */
export const REFRESH_LEASE_MS = 60_000;

export interface RefreshedTokens {
  accessToken: string;
  /** Omit or `null` when Okta did not rotate it: the stored one stays. */
  refreshToken?: string | null;
  accessExpiresAt: number | null;
  grantedScopes?: readonly string[];
}

export interface DueOptions {
  /** Refresh when the access token expires within this window. */
  expiringWithinMs: number;
  /** …or when nothing has succeeded against Okta for this long (keeps refresh tokens alive). */
  uncheckedForMs: number;
  limit: number;
}

/**
 * Background bookkeeping on connections: the health sweep's lease, check results and the
 * open alert message. None of it bumps `version`, so a sweep never makes an admin's edit
 * fail as a conflict; every status change still does.
 */
export function createConnectionUpkeep(store: Store, ring: KeyRing, clock: Clock) {
  const { db } = store;
  const { connections } = store.tables;
  /** Whether an UPDATE … RETURNING changed exactly one row, in either dialect. */
  const changedOne = (rows: unknown[]) => rows.length === 1;
  const sealFor = (name: ConnectionSecretName, id: string, value: string) =>
    sealConnectionSecret(ring, name, id, value);
  const active = eq(connections.status, 'active');
  const leaseFree = (now: number) =>
    or(isNull(connections.leaseOwner), lte(connections.leaseExpiresAt, now));

  return {
    /**
     * With refresh-token rotation, two processes refreshing the same connection at once
     * both spend the same refresh token; outside Okta's grace period the second use
     * revokes the whole chain and the connection is dead until an admin reauthorizes.
     * Hence one refresher per connection across every process sharing the file: a single
     * conditional UPDATE takes the lease; the winner then re-reads the row, as another
     * process may have refreshed it just before.
     */
    async tryTakeLease(id: string, owner: string, now: number, leaseMs = REFRESH_LEASE_MS) {
      const rows = await db
        .update(connections)
        .set({ leaseOwner: owner, leaseExpiresAt: now + leaseMs })
        .where(and(eq(connections.id, id), active, leaseFree(now)))
        .returning({ id: connections.id });
      return changedOne(rows);
    },

    async releaseLease(id: string, owner: string) {
      const rows = await db
        .update(connections)
        .set({ leaseOwner: null, leaseExpiresAt: null })
        .where(and(eq(connections.id, id), eq(connections.leaseOwner, owner)))
        .returning({ id: connections.id });
      return changedOne(rows);
    },

    /**
     * Extends the lease if `owner` still holds it (even run out, as long as nobody took
     * it since); false when another owner took it or a status change cleared it.
     */
    async renewLease(id: string, owner: string, now: number, leaseMs = REFRESH_LEASE_MS) {
      const rows = await db
        .update(connections)
        .set({ leaseExpiresAt: now + leaseMs })
        .where(and(eq(connections.id, id), active, eq(connections.leaseOwner, owner)))
        .returning({ id: connections.id });
      return changedOne(rows);
    },

    /** Who holds an unexpired lease now, each once (start-up recovery, see leaseOwners.ts). */
    async liveLeaseOwners(now: number): Promise<string[]> {
      const rows = await db
        .selectDistinct({ owner: connections.leaseOwner })
        .from(connections)
        .where(and(isNotNull(connections.leaseOwner), gt(connections.leaseExpiresAt, now)));
      return rows.flatMap((row) => (row.owner === null ? [] : [row.owner]));
    },

    /**
     * Ends the leases of an owner known to be gone (a process that stopped mid-refresh).
     * The owner stays on the row, expired: the next refresher sees that the last refresh
     * was interrupted. Returns how many leases ended.
     */
    async expireLeasesOf(owner: string, now: number): Promise<number> {
      const rows = await db
        .update(connections)
        .set({ leaseExpiresAt: now })
        .where(and(eq(connections.leaseOwner, owner), gt(connections.leaseExpiresAt, now)))
        .returning({ id: connections.id });
      return rows.length;
    },

    /**
     * Call this right after Okta answers, before using the new access token for anything:
     * Okta has already spent the old refresh token, so the new one must be on disk first.
     * Tokens and lease release are one UPDATE, so they land together. It refuses (false)
     * only when another owner holds the lease or a status change cleared it (a
     * reauthorization, a deletion): then these tokens belong to a chain that no longer
     * counts. An expired lease that nobody took is still ours: the tokens are saved.
     */
    async saveRefreshedTokensAndRelease(id: string, owner: string, tokens: RefreshedTokens) {
      const now = clock();
      const rows = await db
        .update(connections)
        .set({
          accessToken: sealFor('accessToken', id, tokens.accessToken),
          ...(tokens.refreshToken
            ? {
                refreshToken: sealFor('refreshToken', id, tokens.refreshToken),
              }
            : {}),
          ...(tokens.grantedScopes ? { grantedScopes: JSON.stringify(tokens.grantedScopes) } : {}),
          accessExpiresAt: tokens.accessExpiresAt,
          lastRefreshedAt: now,
          lastCheckedAt: now,
          failureCount: 0,
          failingSince: null,
          leaseOwner: null,
          leaseExpiresAt: null,
          updatedAt: now,
        })
        .where(and(eq(connections.id, id), active, eq(connections.leaseOwner, owner)))
        .returning({ id: connections.id });
      return changedOne(rows);
    },

    /** Active connections that need a refresh and that no live lease holds, soonest expiry first. */
    async listDueForRefresh(now: number, options: DueOptions): Promise<Connection[]> {
      const rows = await db
        .select()
        .from(connections)
        .where(
          and(
            active,
            leaseFree(now),
            or(
              isNull(connections.accessExpiresAt),
              lte(connections.accessExpiresAt, now + options.expiringWithinMs),
              isNull(connections.lastCheckedAt),
              lte(connections.lastCheckedAt, now - options.uncheckedForMs),
            ),
          ),
        )
        .orderBy(asc(sql`coalesce(${connections.accessExpiresAt}, 0)`))
        .limit(options.limit);
      return rows.map(toConnection);
    },

    /** A successful check (e.g. a Management API probe): clears the failure streak. */
    async recordCheck(id: string): Promise<void> {
      const now = clock();
      await db
        .update(connections)
        .set({ lastCheckedAt: now, failureCount: 0, failingSince: null, updatedAt: now })
        .where(and(eq(connections.id, id), live));
    },

    /**
     * A failed check or refresh that did not change the status (network, 5xx, 429).
     * `error` is a short description for admins and logs, never a token or a response body.
     * Returns the failure count, for "mark exhausted after N failures" rules.
     */
    async recordFailure(id: string, error: string): Promise<number | null> {
      const now = clock();
      const [row] = await db
        .update(connections)
        .set({
          failureCount: sql`${connections.failureCount} + 1`,
          lastError: error,
          lastErrorAt: now,
          failingSince: sql`coalesce(${connections.failingSince}, ${now})`,
          updatedAt: now,
        })
        .where(and(eq(connections.id, id), live))
        .returning({ failureCount: connections.failureCount });
      return row?.failureCount ?? null;
    },

    /** Remembers the one open alert so the next one edits it instead of posting again. */
    async setNotifyMessage(
      id: string,
      message: { channel: string; ts: string; incidentKey: string },
    ): Promise<void> {
      await db
        .update(connections)
        .set({
          notifyMessageChannel: message.channel,
          notifyMessageTs: message.ts,
          incidentKey: message.incidentKey,
          updatedAt: clock(),
        })
        .where(eq(connections.id, id));
    },

    async clearNotifyMessage(id: string): Promise<void> {
      await db
        .update(connections)
        .set({
          notifyMessageChannel: null,
          notifyMessageTs: null,
          incidentKey: null,
          updatedAt: clock(),
        })
        .where(eq(connections.id, id));
    },
  };
}
