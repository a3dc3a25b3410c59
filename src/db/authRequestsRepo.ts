import { and, eq, gt, isNull, lte, or } from 'drizzle-orm';
import { z } from 'zod';
import { hashToken, type KeyRing, randomToken, safeEqual } from '../crypto.ts';
import { type Clock, systemClock } from './clock.ts';
import type { Db } from './openDatabase.ts';
import { parseRow, scopeListColumn } from './rowParsing.ts';
import { AUTH_PURPOSES, authRequests } from './schema.ts';
import { openColumn, type Secrets, sealColumn, secretBag } from './sealedColumns.ts';

export type AuthPurpose = (typeof AUTH_PURPOSES)[number];
export type AuthRequestSecretName = 'pkceVerifier' | 'clientSecret';

/** A pending authorization as callers see it: no secret, no link or state hash. */
export interface AuthRequest {
  id: string;
  connectionId: string;
  teamId: string;
  purpose: AuthPurpose;
  requestedScopes: string[];
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
  requestedScopes: scopeListColumn,
});

function toAuthRequest(row: Row): AuthRequest {
  const checked = parseRow(checkedColumns, row, 'auth_requests');
  return {
    id: row.id,
    connectionId: row.connectionId,
    teamId: row.teamId,
    purpose: checked.purpose,
    requestedScopes: checked.requestedScopes,
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

const SECRET_COLUMNS = {
  pkceVerifier: 'pkce_verifier',
  clientSecret: 'client_secret',
} as const satisfies Record<AuthRequestSecretName, string>;

export function createAuthRequestsRepo(db: Db, ring: KeyRing, clock: Clock = systemClock) {
  const sealFor = (name: AuthRequestSecretName, id: string, value: string) =>
    sealColumn(ring, 'auth_requests', SECRET_COLUMNS[name], id, value);
  const usable = (now: number) =>
    and(isNull(authRequests.consumedAt), gt(authRequests.expiresAt, now));

  return {
    /**
     * The repository makes the link token and returns it this once, for the DM; only its
     * hash is stored, so neither a caller nor a database copy can leak a working link.
     */
    create(input: NewAuthRequest): { request: AuthRequest; linkToken: string } {
      const linkToken = randomToken(32);
      const row = db
        .insert(authRequests)
        .values({
          id: `areq_${randomToken(12)}`,
          connectionId: input.connectionId,
          teamId: input.teamId,
          purpose: input.purpose,
          linkTokenHash: hashToken(linkToken),
          requestedScopes: JSON.stringify(input.requestedScopes),
          slackUserId: input.slackUserId,
          createdAt: clock(),
          expiresAt: input.expiresAt,
        })
        .returning()
        .get();
      return { request: toAuthRequest(row), linkToken };
    },

    /** For the setup page: the request behind a link that is neither expired nor consumed. */
    findByLinkToken(linkToken: string, now = clock()): AuthRequest | null {
      const row = db
        .select()
        .from(authRequests)
        .where(and(eq(authRequests.linkTokenHash, hashToken(linkToken)), usable(now)))
        .get();
      return row ? toAuthRequest(row) : null;
    },

    /**
     * The setup POST. Marks the link used in the same UPDATE that stores the state, so two
     * posts of one link (a double click, a forwarded DM) cannot both start an authorization.
     */
    beginAuthorization(id: string, start: AuthorizationStart, now = clock()): BeginResult {
      const result = db
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
        .run();
      if (result.changes === 1) return { ok: true };
      const row = db.select().from(authRequests).where(eq(authRequests.id, id)).get();
      if (!row) return { ok: false, code: 'not_found' };
      return { ok: false, code: row.expiresAt <= now ? 'expired' : 'link_used' };
    },

    /**
     * The callback. One UPDATE … RETURNING: of any number of concurrent callbacks with the
     * same state, exactly one gets the row; later and expired ones get `null`.
     */
    consumeByState(state: string, now = clock()): AuthRequest | null {
      const row = db
        .update(authRequests)
        .set({ consumedAt: now })
        .where(and(eq(authRequests.stateHash, hashToken(state)), usable(now)))
        .returning()
        .get();
      return row ? toAuthRequest(row) : null;
    },

    /** Same single-use semantics by link token (e.g. cancelling from the setup page). */
    consumeByLinkToken(linkToken: string, now = clock()): AuthRequest | null {
      const row = db
        .update(authRequests)
        .set({ consumedAt: now })
        .where(and(eq(authRequests.linkTokenHash, hashToken(linkToken)), usable(now)))
        .returning()
        .get();
      return row ? toAuthRequest(row) : null;
    },

    /** Opens secrets of a consumed request only: they serve the code exchange, nothing before. */
    openSecrets<N extends AuthRequestSecretName>(
      id: string,
      names: readonly N[],
    ): Secrets<N> | null {
      const row = db.select().from(authRequests).where(eq(authRequests.id, id)).get();
      if (!row || row.consumedAt === null) return null;
      const values = new Map<N, string | null>();
      for (const name of names) {
        values.set(name, openColumn(ring, 'auth_requests', SECRET_COLUMNS[name], id, row[name]));
      }
      return secretBag(values);
    },

    /** Records how the attempt ended and wipes its sealed values, which have served. */
    recordOutcome(id: string, outcome: string): void {
      db.update(authRequests)
        .set({ outcome, pkceVerifier: null, clientSecret: null })
        .where(eq(authRequests.id, id))
        .run();
    },

    /**
     * Housekeeping for the sweep: an expired request that was never consumed can never be,
     * so it goes at once; a consumed one after a grace period. Returns how many went.
     */
    deleteExpired(now = clock()): number {
      return db
        .delete(authRequests)
        .where(
          or(
            and(isNull(authRequests.consumedAt), lte(authRequests.expiresAt, now)),
            lte(authRequests.expiresAt, now - CONSUMED_RETENTION_MS),
          ),
        )
        .run().changes;
    },
  };
}

export type AuthRequestsRepo = ReturnType<typeof createAuthRequestsRepo>;
