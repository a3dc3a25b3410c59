import { and, desc, eq, gt, isNull, lte, or } from 'drizzle-orm';
import { z } from 'zod';
import { hashToken, type KeyRing, randomToken, safeEqual } from '../crypto.ts';
import { type Clock, systemClock } from './clock.ts';
import { parseRow, scopeListColumn } from './rowParsing.ts';
import { AUTH_PURPOSES, type authRequests, SCOPE_MODES } from './schema.ts';
import { openRowSecrets, type Secrets, sealColumn } from './sealedColumns.ts';
import type { Store } from './store.ts';

export type AuthPurpose = (typeof AUTH_PURPOSES)[number];
type ScopeMode = (typeof SCOPE_MODES)[number];
export type AuthRequestSecretName = 'pkceVerifier' | 'clientSecret';

/** A pending authorization as callers see it: no secret, no link or state hash. */
export interface AuthRequest {
  id: string;
  connectionId: string;
  teamId: string;
  purpose: AuthPurpose;
  scopeMode: ScopeMode;
  requestedScopes: string[];
  /** The connection's version when the link was made (see `connection_version`). */
  connectionVersion: number | null;
  slackUserId: string;
  /** Set once the setup form was posted: the link cannot be used again. */
  linkUsedAt: number | null;
  nonce: string | null;
  /** Whether a client secret was typed for this attempt (else reuse the connection's). */
  hasClientSecret: boolean;
  createdAt: number;
  expiresAt: number;
  consumedAt: number | null;
  outcome: string | null;
  /** Compare with `isSameBrowser`, not by hand. */
  browserBindingHash: string | null;
}

export interface NewAuthRequest {
  connectionId: string;
  teamId: string;
  purpose: AuthPurpose;
  scopeMode: ScopeMode;
  connectionVersion: number;
  requestedScopes: readonly string[];
  slackUserId: string;
  expiresAt: number;
}

/** Plain values: the repository stores only their hashes, and seals the secrets. */
export interface AuthorizationStart {
  state: string;
  browserBinding: string;
  pkceVerifier: string;
  nonce: string;
  clientSecret?: string;
  /** The state's own, shorter lifetime, counted from the setup POST. */
  expiresAt: number;
}

export type BeginResult = { ok: true } | { ok: false; code: 'not_found' | 'link_used' | 'expired' };

type Row = typeof authRequests.$inferSelect;

const checkedColumns = z.object({
  purpose: z.enum(AUTH_PURPOSES),
  scopeMode: z.enum(SCOPE_MODES),
  requestedScopes: scopeListColumn,
});

function toAuthRequest(row: Row): AuthRequest {
  const checked = parseRow(checkedColumns, row, 'auth_requests');
  return {
    id: row.id,
    connectionId: row.connectionId,
    teamId: row.teamId,
    purpose: checked.purpose,
    scopeMode: checked.scopeMode,
    requestedScopes: checked.requestedScopes,
    connectionVersion: row.connectionVersion,
    slackUserId: row.slackUserId,
    linkUsedAt: row.linkUsedAt,
    nonce: row.nonce,
    hasClientSecret: row.clientSecret !== null,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    consumedAt: row.consumedAt,
    outcome: row.outcome,
    browserBindingHash: row.browserBindingHash,
  };
}

/** The callback's check that it runs in the browser that posted the setup form. */
export function isSameBrowser(request: AuthRequest, cookieValue: string | undefined): boolean {
  if (!request.browserBindingHash || !cookieValue) return false;
  return safeEqual(hashToken(cookieValue), request.browserBindingHash);
}

/**
 * Consumed rows stay this long after expiry before housekeeping deletes them, so a
 * callback that consumed its row just before expiry can still open its PKCE verifier.
 */
const CONSUMED_RETENTION_MS = 60 * 60_000;

/** Where each secret is sealed; the column name is part of its associated data. */
export const AUTH_REQUEST_SECRET_COLUMNS = {
  pkceVerifier: 'pkce_verifier',
  clientSecret: 'client_secret',
} as const satisfies Record<AuthRequestSecretName, string>;

export function createAuthRequestsRepo(store: Store, ring: KeyRing, clock: Clock = systemClock) {
  const { db } = store;
  const { authRequests } = store.tables;
  const firstRequest = (rows: Row[]) => (rows[0] ? toAuthRequest(rows[0]) : null);
  const sealFor = (name: AuthRequestSecretName, id: string, value: string) =>
    sealColumn(ring, 'auth_requests', AUTH_REQUEST_SECRET_COLUMNS[name], id, value);
  const usable = (now: number) =>
    and(isNull(authRequests.consumedAt), gt(authRequests.expiresAt, now));

  /**
   * The repository makes the link token and returns it this once, for the DM; only its
   * hash is stored, so neither a caller nor a database copy can leak a working link.
   */
  const create = async (
    input: NewAuthRequest,
  ): Promise<{ request: AuthRequest; linkToken: string }> => {
    const linkToken = randomToken(32);
    const [row] = await db
      .insert(authRequests)
      .values({
        id: `areq_${randomToken(12)}`,
        connectionId: input.connectionId,
        teamId: input.teamId,
        purpose: input.purpose,
        scopeMode: input.scopeMode,
        connectionVersion: input.connectionVersion,
        linkTokenHash: hashToken(linkToken),
        requestedScopes: JSON.stringify(input.requestedScopes),
        slackUserId: input.slackUserId,
        createdAt: clock(),
        expiresAt: input.expiresAt,
      })
      .returning();
    if (!row) throw new Error('INSERT … RETURNING returned no row');
    return { request: toAuthRequest(row), linkToken };
  };

  return store.serialize({
    create,

    /**
     * The setup page's reading of a link, saying why it cannot be used: a link is
     * `link_used` once the setup form was posted (or the attempt ended), `link_expired`
     * after its 15 minutes.
     */
    async inspectLinkToken(
      linkToken: string,
      now = clock(),
    ): Promise<
      | { ok: true; request: AuthRequest }
      | { ok: false; code: 'link_unknown' }
      | { ok: false; code: 'link_used' | 'link_expired'; request: AuthRequest }
    > {
      const [row] = await db
        .select()
        .from(authRequests)
        .where(eq(authRequests.linkTokenHash, hashToken(linkToken)));
      if (!row) return { ok: false, code: 'link_unknown' };
      if (row.consumedAt !== null || row.linkUsedAt !== null) {
        return { ok: false, code: 'link_used', request: toAuthRequest(row) };
      }
      if (row.expiresAt <= now)
        return { ok: false, code: 'link_expired', request: toAuthRequest(row) };
      return { ok: true, request: toAuthRequest(row) };
    },

    /**
     * The callback's first look, before anything is consumed: it must check the browser
     * binding without using the state up, so that a callback opened in the wrong browser
     * cannot spoil the sign-in for the right one.
     */
    async inspectState(
      state: string,
      now = clock(),
    ): Promise<
      | { ok: true; request: AuthRequest }
      | {
          ok: false;
          code: 'state_unknown' | 'state_used' | 'state_expired';
          request?: AuthRequest;
        }
    > {
      const [row] = await db
        .select()
        .from(authRequests)
        .where(eq(authRequests.stateHash, hashToken(state)));
      if (!row) return { ok: false, code: 'state_unknown' };
      const request = toAuthRequest(row);
      if (row.consumedAt !== null) return { ok: false, code: 'state_used', request };
      if (row.expiresAt <= now) return { ok: false, code: 'state_expired', request };
      return { ok: true, request };
    },

    /** The open (unexpired, unconsumed) request of a connection, newest first, if any. */
    async findOpenForConnection(connectionId: string, now = clock()): Promise<AuthRequest | null> {
      return firstRequest(
        await db
          .select()
          .from(authRequests)
          .where(and(eq(authRequests.connectionId, connectionId), usable(now)))
          .orderBy(desc(authRequests.createdAt))
          .limit(1),
      );
    },

    /**
     * A reauthorization link, one admin at a time: in one transaction that first locks the
     * connection (SQLite's IMMEDIATE write lock, PostgreSQL's row lock: so also across
     * processes), another admin's open request wins and is returned; the same admin's
     * older open requests are superseded, so only the newest link works.
     */
    createReauthorization(
      input: NewAuthRequest,
      now = clock(),
    ): Promise<
      { ok: true; request: AuthRequest; linkToken: string } | { ok: false; holder: AuthRequest }
    > {
      return store.transaction(async () => {
        await store.lockRow('connections', input.connectionId);
        const open = await db
          .select()
          .from(authRequests)
          .where(and(eq(authRequests.connectionId, input.connectionId), usable(now)));
        const other = open.find((row) => row.slackUserId !== input.slackUserId);
        if (other) return { ok: false as const, holder: toAuthRequest(other) };
        if (open.length > 0) {
          await db
            .update(authRequests)
            .set({
              consumedAt: now,
              outcome: 'superseded',
              pkceVerifier: null,
              clientSecret: null,
            })
            .where(and(eq(authRequests.connectionId, input.connectionId), usable(now)));
        }
        return { ok: true as const, ...(await create(input)) };
      });
    },

    /** For the setup page: the request behind a link that is neither expired nor consumed. */
    async findByLinkToken(linkToken: string, now = clock()): Promise<AuthRequest | null> {
      return firstRequest(
        await db
          .select()
          .from(authRequests)
          .where(and(eq(authRequests.linkTokenHash, hashToken(linkToken)), usable(now))),
      );
    },

    /**
     * The setup POST. Marks the link used in the same UPDATE that stores the state, so two
     * posts of one link (a double click, a forwarded DM) cannot both start an authorization.
     */
    async beginAuthorization(
      id: string,
      start: AuthorizationStart,
      now = clock(),
    ): Promise<BeginResult> {
      const changed = await db
        .update(authRequests)
        .set({
          linkUsedAt: now,
          stateHash: hashToken(start.state),
          browserBindingHash: hashToken(start.browserBinding),
          pkceVerifier: sealFor('pkceVerifier', id, start.pkceVerifier),
          nonce: start.nonce,
          clientSecret:
            start.clientSecret === undefined
              ? null
              : sealFor('clientSecret', id, start.clientSecret),
          expiresAt: start.expiresAt,
        })
        .where(and(eq(authRequests.id, id), isNull(authRequests.linkUsedAt), usable(now)))
        .returning({ id: authRequests.id });
      if (changed.length === 1) return { ok: true };
      const [row] = await db.select().from(authRequests).where(eq(authRequests.id, id));
      if (!row) return { ok: false, code: 'not_found' };
      return { ok: false, code: row.expiresAt <= now ? 'expired' : 'link_used' };
    },

    /**
     * The callback. One UPDATE … RETURNING: of any number of concurrent callbacks with the
     * same state, exactly one gets the row; later and expired ones get `null`.
     */
    async consumeByState(state: string, now = clock()): Promise<AuthRequest | null> {
      return firstRequest(
        await db
          .update(authRequests)
          .set({ consumedAt: now })
          .where(and(eq(authRequests.stateHash, hashToken(state)), usable(now)))
          .returning(),
      );
    },

    /** Same single-use semantics by link token (e.g. cancelling from the setup page). */
    async consumeByLinkToken(linkToken: string, now = clock()): Promise<AuthRequest | null> {
      return firstRequest(
        await db
          .update(authRequests)
          .set({ consumedAt: now })
          .where(and(eq(authRequests.linkTokenHash, hashToken(linkToken)), usable(now)))
          .returning(),
      );
    },

    /** Opens secrets of a consumed request only: they serve the code exchange, nothing before. */
    async openSecrets<N extends AuthRequestSecretName>(
      id: string,
      names: readonly N[],
    ): Promise<Secrets<N> | null> {
      const [row] = await db.select().from(authRequests).where(eq(authRequests.id, id));
      if (!row || row.consumedAt === null) return null;
      return openRowSecrets(ring, 'auth_requests', AUTH_REQUEST_SECRET_COLUMNS, row, names);
    },

    /** Records how the attempt ended and wipes its sealed values, which have served. */
    async recordOutcome(id: string, outcome: string): Promise<void> {
      await db
        .update(authRequests)
        .set({ outcome, pkceVerifier: null, clientSecret: null })
        .where(eq(authRequests.id, id));
    },

    /**
     * Housekeeping for the sweep: an expired request that was never consumed can never be,
     * so it goes at once; a consumed one after a grace period. Returns how many went.
     */
    async deleteExpired(now = clock()): Promise<number> {
      const rows = await db
        .delete(authRequests)
        .where(
          or(
            and(isNull(authRequests.consumedAt), lte(authRequests.expiresAt, now)),
            lte(authRequests.expiresAt, now - CONSUMED_RETENTION_MS),
          ),
        )
        .returning({ id: authRequests.id });
      return rows.length;
    },
  });
}

export type AuthRequestsRepo = ReturnType<typeof createAuthRequestsRepo>;
