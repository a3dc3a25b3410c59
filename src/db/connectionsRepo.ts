import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { GeneratedClientKey } from '../clientCredential.ts';
import { type KeyRing, randomToken } from '../crypto.ts';
import { createClientKeyChanges } from './clientKeyChanges.ts';
import { type Clock, systemClock } from './clock.ts';
import {
  CONNECTION_SECRET_COLUMNS,
  type Connection,
  type ConnectionSecretName,
  live,
  nicknameKey,
  type OrgKind,
  type ScopeMode,
  sealConnectionSecret,
  toConnection,
} from './connectionModel.ts';
import { createConnectionStatusChanges } from './connectionStatusChanges.ts';
import { createConnectionUpkeep } from './connectionUpkeep.ts';
import type { Db } from './openDatabase.ts';
import { isUniqueViolation } from './rowParsing.ts';
import { connections } from './schema.ts';
import { openRowSecrets, type Secrets } from './sealedColumns.ts';

export type {
  Attention,
  Connection,
  ConnectionStatus,
  NotifyMessage,
  OrgKind,
  ScopeMode,
  WriteResult,
} from './connectionModel.ts';
export type { Authorization } from './connectionStatusChanges.ts';
export type { DueOptions, RefreshedTokens } from './connectionUpkeep.ts';

export interface NewConnection {
  teamId: string;
  nickname: string;
  orgKind: OrgKind;
  domain: string;
  clientId: string;
  scopeMode: ScopeMode;
  requestedScopes: readonly string[];
  createdBy: string;
  notifyChannel?: string | null;
  /** Given: the connection authenticates with this key pair (`private_key_jwt`), not a secret. */
  clientKey?: GeneratedClientKey;
}

export interface ListPage {
  limit?: number;
  offset?: number;
}

/** The Home tab's groups, in its order (see `homeGroupOf` in the views). */
const homeGroupRank = sql<number>`CASE
  WHEN ${connections.status} = 'needs_reauth' THEN 0
  WHEN ${connections.status} = 'active' AND ${connections.attentionCode} IS NOT NULL THEN 1
  WHEN ${connections.status} = 'pending' THEN 3
  WHEN ${connections.status} = 'active' THEN 4
  ELSE 2 END`;

/**
 * Connections, for flows. Every read a Slack handler can reach is scoped to the team;
 * reads never return a secret, `readSecrets` opens the ones asked for by name. Status
 * changes live in connectionStatusChanges.ts, the sweep's bookkeeping in
 * connectionUpkeep.ts; this object gathers them.
 */
export function createConnectionsRepo(db: Db, ring: KeyRing, clock: Clock = systemClock) {
  const prepared = prepareReads(db);
  const one = (row: typeof connections.$inferSelect | undefined) =>
    row ? toConnection(row) : null;

  /** Case-insensitive, through `nickname_key`. */
  const findByNickname = (teamId: string, nickname: string) =>
    one(prepared.byNickname.get({ teamId, nicknameKey: nicknameKey(nickname) }));

  return {
    findById: (teamId: string, id: string) => one(prepared.byTeamAndId.get({ teamId, id })),

    findByNickname,

    isNicknameTaken: (teamId: string, nickname: string) =>
      prepared.nicknameTaken.get({ teamId, nicknameKey: nicknameKey(nickname) }) !== undefined,

    listByTeam(teamId: string, { limit = 25, offset = 0 }: ListPage = {}): Connection[] {
      return prepared.teamPage.all({ teamId, limit, offset }).map(toConnection);
    },

    /**
     * Every team's connections, for the connection API's all-teams keys (Slack surfaces
     * always read one team). Ordered by team, then nickname.
     */
    listAllTeams({ limit = 25, offset = 0 }: ListPage = {}): Connection[] {
      return db
        .select()
        .from(connections)
        .where(live)
        .orderBy(asc(connections.teamId), asc(connections.nicknameKey))
        .limit(limit)
        .offset(offset)
        .all()
        .map(toConnection);
    },

    /** A nickname is unique per team only: the connection API's all-teams keys may find several. */
    findByNicknameInAllTeams(nickname: string): Connection[] {
      return db
        .select()
        .from(connections)
        .where(and(live, eq(connections.nicknameKey, nicknameKey(nickname))))
        .orderBy(asc(connections.teamId))
        .all()
        .map(toConnection);
    },

    /**
     * One page of a team's connections in the Home tab's order — what needs an admin
     * first (needs_reauth, active with attention, failed, pending, active), then by
     * nickname — sorted by the database, so a page costs the same at any size.
     */
    listForHome(
      teamId: string,
      { limit, offset }: { limit: number; offset: number },
    ): Connection[] {
      return db
        .select()
        .from(connections)
        .where(and(eq(connections.teamId, teamId), live))
        .orderBy(asc(homeGroupRank), asc(connections.nicknameKey), asc(connections.id))
        .limit(limit)
        .offset(offset)
        .all()
        .map(toConnection);
    },

    /** How many of a team's connections fall in each Home tab group (rank 0–4). */
    countHomeGroups(teamId: string): number[] {
      const counts = [0, 0, 0, 0, 0];
      const rows = db
        .select({ rank: homeGroupRank, n: count() })
        .from(connections)
        .where(and(eq(connections.teamId, teamId), live))
        .groupBy(homeGroupRank)
        .all();
      for (const row of rows) counts[Number(row.rank)] = row.n;
      return counts;
    },

    /** Every status (deleted too) with its count, for the metrics. */
    countByStatus(): Record<string, number> {
      const rows = db
        .select({ status: connections.status, n: count() })
        .from(connections)
        .groupBy(connections.status)
        .all();
      return Object.fromEntries(rows.map((row) => [row.status, row.n]));
    },

    countByTeam(teamId: string): number {
      return prepared.teamCount.get({ teamId })?.n ?? 0;
    },

    /**
     * Opens only the secrets asked for. The result reads like `{ accessToken, ... }` but
     * its values are hidden from JSON, spreading and loggers. `null` if the connection is
     * gone; a name maps to `null` when nothing is stored.
     */
    readSecrets<N extends ConnectionSecretName>(
      id: string,
      names: readonly N[],
    ): Secrets<N> | null {
      const row = prepared.byId.get({ id });
      if (!row) return null;
      return openRowSecrets(ring, 'connections', CONNECTION_SECRET_COLUMNS, row, names);
    },

    /** `nickname_taken` also covers a concurrent create of the same name (the unique index decides). */
    createPending(
      input: NewConnection,
    ): { ok: true; connection: Connection } | { ok: false; code: 'nickname_taken' } {
      const now = clock();
      const id = `con_${randomToken(12)}`;
      const key = input.clientKey;
      try {
        const row = db
          .insert(connections)
          .values({
            id,
            ...(key
              ? {
                  clientAuthMethod: 'private_key_jwt' as const,
                  clientPublicJwk: JSON.stringify(key.publicJwk),
                  clientPrivateKey: sealConnectionSecret(
                    ring,
                    'clientPrivateKey',
                    id,
                    key.privateKey,
                  ),
                }
              : {}),
            teamId: input.teamId,
            nickname: input.nickname,
            nicknameKey: nicknameKey(input.nickname),
            orgKind: input.orgKind,
            domain: input.domain,
            clientId: input.clientId,
            scopeMode: input.scopeMode,
            requestedScopes: JSON.stringify(input.requestedScopes),
            status: 'pending',
            createdBy: input.createdBy,
            notifyChannel: input.notifyChannel ?? null,
            createdAt: now,
            updatedAt: now,
          })
          .returning()
          .get();
        return { ok: true, connection: toConnection(row) };
      } catch (error) {
        if (isUniqueViolation(error)) return { ok: false, code: 'nickname_taken' };
        throw error;
      }
    },

    /**
     * Gives a connection a new nickname; the old one is kept as its previous name, so the
     * API can say where it went. `nickname_taken` when another live connection of the
     * team has it (the unique index decides, also against a concurrent create).
     */
    rename(
      id: string,
      nickname: string,
    ):
      | { ok: true; connection: Connection; previous: string }
      | { ok: false; code: 'nickname_taken' | 'not_found' } {
      const current = prepared.byId.get({ id });
      if (!current) return { ok: false, code: 'not_found' };
      try {
        const row = db
          .update(connections)
          .set({
            nickname,
            nicknameKey: nicknameKey(nickname),
            previousNicknameKey: current.nicknameKey,
            version: sql`${connections.version} + 1`,
            updatedAt: clock(),
          })
          .where(and(eq(connections.id, id), live))
          .returning()
          .get();
        if (!row) return { ok: false, code: 'not_found' };
        return { ok: true, connection: toConnection(row), previous: current.nickname };
      } catch (error) {
        if (isUniqueViolation(error)) return { ok: false, code: 'nickname_taken' };
        throw error;
      }
    },

    /** Live connections whose previous nickname was `nickname`, in one team or (null) all. */
    renamedFrom(teamId: string | null, nickname: string): Connection[] {
      const named = eq(connections.previousNicknameKey, nicknameKey(nickname));
      return db
        .select()
        .from(connections)
        .where(and(live, named, ...(teamId === null ? [] : [eq(connections.teamId, teamId)])))
        .all()
        .map(toConnection);
    },

    /**
     * Runs `work` in one IMMEDIATE transaction. The repositories of one database share its
     * connection, so what `work` writes through any of them commits together or not at
     * all: a process killed half way leaves neither part.
     */
    atomically<T>(work: () => T): T {
      return db.transaction(() => work(), { behavior: 'immediate' });
    },

    ...createConnectionStatusChanges(db, ring, clock),
    ...createClientKeyChanges(db, ring, clock),
    ...createConnectionUpkeep(db, ring, clock),
  };
}

export type ConnectionsRepo = ReturnType<typeof createConnectionsRepo>;

/**
 * The reads on Slack's ack path, the sweep's and the API's, prepared once. drizzle builds
 * a query's SQL on every call, and for a select of every column that costs ~0.4 ms of
 * CPU, far more than SQLite takes to answer by index: the details step spent half its
 * time there (docs/benchmarks.md).
 */
function prepareReads(db: Db) {
  const param = {
    teamId: sql.placeholder('teamId'),
    id: sql.placeholder('id'),
    nicknameKey: sql.placeholder('nicknameKey'),
  };
  const ofTeam = eq(connections.teamId, param.teamId);
  const namedInTeam = and(live, ofTeam, eq(connections.nicknameKey, param.nicknameKey));
  const all = () => db.select().from(connections);
  return {
    byNickname: all().where(namedInTeam).prepare(),
    // The details step only asks whether the name is free: the id, not the whole row.
    nicknameTaken: db.select({ id: connections.id }).from(connections).where(namedInTeam).prepare(),
    byTeamAndId: all()
      .where(and(live, ofTeam, eq(connections.id, param.id)))
      .prepare(),
    byId: all()
      .where(and(eq(connections.id, param.id), live))
      .prepare(),
    teamPage: all()
      .where(and(ofTeam, live))
      .orderBy(asc(connections.nicknameKey))
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset'))
      .prepare(),
    teamCount: db.select({ n: count() }).from(connections).where(and(ofTeam, live)).prepare(),
  };
}
