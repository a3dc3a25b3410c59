import { and, asc, eq, gt, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { hashToken, randomToken } from '../crypto.ts';
import { type Clock, systemClock } from './clock.ts';
import type { Db } from './openDatabase.ts';
import { isUniqueViolation, parseRow } from './rowParsing.ts';
import { API_KEY_ACTIONS, apiKeyConnections, apiKeys } from './schema.ts';

export type ApiKeyAction = (typeof API_KEY_ACTIONS)[number];

/** A managed key as callers see it: no hash of the key or of its link. */
export interface ApiKeyRecord {
  id: string;
  teamId: string;
  name: string;
  /** null: every connection of the team; else the ids of the chosen ones still present. */
  connectionIds: string[] | null;
  actions: ApiKeyAction[];
  expiresAt: number | null;
  createdBy: string;
  createdAt: number;
  /** When the key page was opened, i.e. when the key came to exist. */
  revealedAt: number | null;
  linkExpiresAt: number;
  lastUsedAt: number | null;
  lastUsedIp: string | null;
  revokedAt: number | null;
  revokedBy: string | null;
}

export interface NewApiKey {
  teamId: string;
  name: string;
  connectionIds: readonly string[] | null;
  actions: readonly ApiKeyAction[];
  expiresAt: number | null;
  createdBy: string;
  linkExpiresAt: number;
}

export type RevealResult =
  | { ok: true; key: string; record: ApiKeyRecord }
  | { ok: false; code: 'unknown' | 'used' | 'expired' | 'revoked' };

type Row = typeof apiKeys.$inferSelect;

const actionsColumn = z
  .string()
  .transform((text) => JSON.parse(text) as unknown)
  .pipe(z.array(z.enum(API_KEY_ACTIONS)));
const checkedColumns = z.object({ actions: actionsColumn });

/** `okc_` tells a reader (and a secret scanner) what the 256 random bits are. */
const KEY_PREFIX = 'okc_';

export function apiKeyNameKey(name: string): string {
  return name.trim().toLowerCase();
}

export function createApiKeysRepo(db: Db, clock: Clock = systemClock) {
  const chosenConnections = async (keyIds: readonly string[]) => {
    const byKey = new Map<string, string[]>();
    if (keyIds.length === 0) return byKey;
    const rows = await db
      .select()
      .from(apiKeyConnections)
      .where(inArray(apiKeyConnections.keyId, [...keyIds]));
    for (const row of rows)
      byKey.set(row.keyId, [...(byKey.get(row.keyId) ?? []), row.connectionId]);
    return byKey;
  };

  const toRecords = async (rows: readonly Row[]): Promise<ApiKeyRecord[]> => {
    const chosen = await chosenConnections(rows.filter((r) => !r.allConnections).map((r) => r.id));
    return rows.map((row) => ({
      id: row.id,
      teamId: row.teamId,
      name: row.name,
      connectionIds: row.allConnections ? null : (chosen.get(row.id) ?? []),
      actions: parseRow(checkedColumns, row, 'api_keys').actions,
      expiresAt: row.expiresAt,
      createdBy: row.createdBy,
      createdAt: row.createdAt,
      revealedAt: row.revealedAt,
      linkExpiresAt: row.linkExpiresAt,
      lastUsedAt: row.lastUsedAt,
      lastUsedIp: row.lastUsedIp,
      revokedAt: row.revokedAt,
      revokedBy: row.revokedBy,
    }));
  };
  const toRecord = async (row: Row) => (await toRecords([row]))[0] as ApiKeyRecord;

  return {
    /**
     * A key waiting for its page to be opened, and the link token for the DM, returned
     * this once: only its hash is stored. `name_taken` when a key not revoked has the name.
     */
    async create(
      input: NewApiKey,
    ): Promise<
      { ok: true; record: ApiKeyRecord; linkToken: string } | { ok: false; code: 'name_taken' }
    > {
      const linkToken = randomToken(32);
      let row: Row | undefined;
      try {
        [row] = await db
          .insert(apiKeys)
          .values({
            id: `key_${randomToken(9)}`,
            teamId: input.teamId,
            name: input.name,
            nameKey: apiKeyNameKey(input.name),
            allConnections: input.connectionIds === null,
            actions: JSON.stringify(input.actions),
            linkTokenHash: hashToken(linkToken),
            linkExpiresAt: input.linkExpiresAt,
            expiresAt: input.expiresAt,
            createdBy: input.createdBy,
            createdAt: clock(),
          })
          .returning();
      } catch (error) {
        if (isUniqueViolation(error)) return { ok: false, code: 'name_taken' };
        throw error;
      }
      if (!row) throw new Error('api_keys insert returned no row');
      if (input.connectionIds && input.connectionIds.length > 0) {
        const keyId = row.id;
        await db
          .insert(apiKeyConnections)
          .values(
            [...new Set(input.connectionIds)].map((connectionId) => ({ keyId, connectionId })),
          );
      }
      return { ok: true, record: await toRecord(row), linkToken };
    },

    /**
     * Opens a key's single-use page: the key is made now and only its hash stored, in one
     * conditional UPDATE, so two openings of the link cannot both get a key.
     */
    async reveal(linkToken: string): Promise<RevealResult> {
      const now = clock();
      const key = `${KEY_PREFIX}${randomToken(32)}`;
      const linkHash = hashToken(linkToken);
      const [row] = await db
        .update(apiKeys)
        .set({ keyHash: hashToken(key), revealedAt: now })
        .where(
          and(
            eq(apiKeys.linkTokenHash, linkHash),
            isNull(apiKeys.revealedAt),
            isNull(apiKeys.revokedAt),
            gt(apiKeys.linkExpiresAt, now),
          ),
        )
        .returning();
      if (row) return { ok: true, key, record: await toRecord(row) };
      const [seen] = await db.select().from(apiKeys).where(eq(apiKeys.linkTokenHash, linkHash));
      if (!seen) return { ok: false, code: 'unknown' };
      if (seen.revealedAt !== null) return { ok: false, code: 'used' };
      if (seen.revokedAt !== null) return { ok: false, code: 'revoked' };
      return { ok: false, code: 'expired' };
    },

    /** The key whose SHA-256 is `keyHash`, revoked and expired ones included (to say why). */
    async findByKeyHash(keyHash: string): Promise<ApiKeyRecord | null> {
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash));
      return row ? toRecord(row) : null;
    },

    /** The team's key of this name that is not revoked. */
    async findByName(teamId: string, name: string): Promise<ApiKeyRecord | null> {
      const [row] = await db
        .select()
        .from(apiKeys)
        .where(
          and(
            eq(apiKeys.teamId, teamId),
            eq(apiKeys.nameKey, apiKeyNameKey(name)),
            isNull(apiKeys.revokedAt),
          ),
        );
      return row ? toRecord(row) : null;
    },

    /** The team's keys that are not revoked, by name. */
    async listLive(teamId: string): Promise<ApiKeyRecord[]> {
      const rows = await db
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.teamId, teamId), isNull(apiKeys.revokedAt)))
        .orderBy(asc(apiKeys.nameKey));
      return toRecords(rows);
    },

    /** Whether any key could still be used: the API answers 401 then, not `api_disabled`. */
    async anyLive(): Promise<boolean> {
      const rows = await db
        .select({ id: apiKeys.id })
        .from(apiKeys)
        .where(isNull(apiKeys.revokedAt))
        .limit(1);
      return rows.length > 0;
    },

    /** Revokes at once; null when the key is unknown in this team or already revoked. */
    async revoke(
      teamId: string,
      id: string,
      by: string,
    ): Promise<{ id: string; name: string } | null> {
      const [row] = await db
        .update(apiKeys)
        .set({ revokedAt: clock(), revokedBy: by })
        .where(and(eq(apiKeys.id, id), eq(apiKeys.teamId, teamId), isNull(apiKeys.revokedAt)))
        .returning({ id: apiKeys.id, name: apiKeys.name });
      return row ?? null;
    },

    async noteUse(id: string, ip: string | null): Promise<void> {
      await db
        .update(apiKeys)
        .set({ lastUsedAt: clock(), lastUsedIp: ip })
        .where(eq(apiKeys.id, id))
        .returning({ id: apiKeys.id });
    },

    /** A deleted connection leaves every key that named it. */
    async forgetConnection(connectionId: string): Promise<void> {
      await db
        .delete(apiKeyConnections)
        .where(eq(apiKeyConnections.connectionId, connectionId))
        .returning({ keyId: apiKeyConnections.keyId });
    },
  };
}

export type ApiKeysRepo = ReturnType<typeof createApiKeysRepo>;
