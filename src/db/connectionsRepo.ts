import { and, asc, eq, inArray, sql, sum } from 'drizzle-orm';
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
import { isUniqueViolation } from './rowParsing.ts';
import { homeRankOf, homeRankOfValues } from './schema.ts';
import { openRowSecrets, type Secrets } from './sealedColumns.ts';
import type { Db, Store, Tables } from './store.ts';

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

/**
 * Connections, for flows. Every read a Slack handler can reach is scoped to the team;
 * reads never return a secret, `readSecrets` opens the ones asked for by name. Status
 * changes live in connectionStatusChanges.ts, the sweep's bookkeeping in
 * connectionUpkeep.ts; this object gathers them.
 */
export function createConnectionsRepo(store: Store, ring: KeyRing, clock: Clock = systemClock) {
  const { db } = store;
  const { connections } = store.tables;
  const prepared = prepareReads(db, store.tables);
  const one = (rows: (typeof connections.$inferSelect)[]) =>
    rows[0] ? toConnection(rows[0]) : null;

  /** Case-insensitive, through `nickname_key`. */
  const findByNickname = async (teamId: string, nickname: string) =>
    one(await prepared.byNickname.execute({ teamId, nicknameKey: nicknameKey(nickname) }));

  return store.serialize({
    findById: async (teamId: string, id: string) =>
      one(await prepared.byTeamAndId.execute({ teamId, id })),

    findByNickname,

    isNicknameTaken: async (teamId: string, nickname: string) =>
      (await prepared.nicknameTaken.execute({ teamId, nicknameKey: nicknameKey(nickname) }))
        .length > 0,

    async listByTeam(teamId: string, { limit = 25, offset = 0 }: ListPage = {}) {
      return (await prepared.teamPage.execute({ teamId, limit, offset })).map(toConnection);
    },

    /**
     * Every team's connections, for the connection API's all-teams keys (Slack surfaces
     * always read one team). Ordered by team, then nickname.
     */
    async listAllTeams({ limit = 25, offset = 0 }: ListPage = {}): Promise<Connection[]> {
      const rows = await db
        .select()
        .from(connections)
        .where(live)
        .orderBy(asc(connections.teamId), asc(connections.nicknameKey))
        .limit(limit)
        .offset(offset);
      return rows.map(toConnection);
    },

    /** A nickname is unique per team only: the connection API's all-teams keys may find several. */
    async findByNicknameInAllTeams(nickname: string): Promise<Connection[]> {
      const rows = await db
        .select()
        .from(connections)
        .where(and(live, eq(connections.nicknameKey, nicknameKey(nickname))))
        .orderBy(asc(connections.teamId));
      return rows.map(toConnection);
    },

    /**
     * One page of a team's connections in the Home tab's order — what needs an admin
     * first (needs_reauth, active with attention, failed, pending, active), then by
     * nickname — read in that order from `connections_home_order_idx`: the page's ids
     * come from the index alone (an offset skips index entries, not rows), then only
     * those rows are read.
     */
    async listForHome(
      teamId: string,
      { limit, offset }: { limit: number; offset: number },
    ): Promise<Connection[]> {
      return (await prepared.homePage.execute({ teamId, limit, offset })).map(toConnection);
    },

    /**
     * How many of a team's connections fall in each Home tab group (rank 0–4), read from
     * `connection_counts` (kept by triggers): a handful of rows per team, one per status
     * and attention code, whatever the team's size. Deleted connections are not counted.
     */
    async countHomeGroups(teamId: string): Promise<number[]> {
      const counts = [0, 0, 0, 0, 0];
      for (const row of await prepared.teamStatusCounts.execute({ teamId })) {
        if (row.status === 'deleted') continue;
        const rank = homeRankOfValues(row.status, row.attentionCode);
        counts[rank] = (counts[rank] ?? 0) + Number(row.n);
      }
      return counts;
    },

    /** Every status (deleted too) that some connection has, with its count, for the metrics. */
    async countByStatus(): Promise<Record<string, number>> {
      const rows = await prepared.statusCounts.execute();
      return Object.fromEntries(
        rows.filter((row) => Number(row.n) > 0).map((row) => [row.status, Number(row.n)]),
      );
    },

    /** A team's connections, deleted ones left out. */
    async countByTeam(teamId: string): Promise<number> {
      return Number((await prepared.teamCount.execute({ teamId }))[0]?.n ?? 0);
    },

    /**
     * Opens only the secrets asked for. The result reads like `{ accessToken, ... }` but
     * its values are hidden from JSON, spreading and loggers. `null` if the connection is
     * gone; a name maps to `null` when nothing is stored.
     */
    async readSecrets<N extends ConnectionSecretName>(
      id: string,
      names: readonly N[],
    ): Promise<Secrets<N> | null> {
      const [row] = await prepared.byId.execute({ id });
      if (!row) return null;
      return openRowSecrets(ring, 'connections', CONNECTION_SECRET_COLUMNS, row, names);
    },

    /** `nickname_taken` also covers a concurrent create of the same name (the unique index decides). */
    async createPending(
      input: NewConnection,
    ): Promise<{ ok: true; connection: Connection } | { ok: false; code: 'nickname_taken' }> {
      const now = clock();
      const id = `con_${randomToken(12)}`;
      const key = input.clientKey;
      try {
        const [row] = await db
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
          .returning();
        if (!row) throw new Error('INSERT … RETURNING returned no row');
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
    async rename(
      id: string,
      nickname: string,
    ): Promise<
      | { ok: true; connection: Connection; previous: string }
      | { ok: false; code: 'nickname_taken' | 'not_found' }
    > {
      const [current] = await prepared.byId.execute({ id });
      if (!current) return { ok: false, code: 'not_found' };
      try {
        const [row] = await db
          .update(connections)
          .set({
            nickname,
            nicknameKey: nicknameKey(nickname),
            previousNicknameKey: current.nicknameKey,
            version: sql`${connections.version} + 1`,
            updatedAt: clock(),
          })
          .where(and(eq(connections.id, id), live))
          .returning();
        if (!row) return { ok: false, code: 'not_found' };
        return { ok: true, connection: toConnection(row), previous: current.nickname };
      } catch (error) {
        if (isUniqueViolation(error)) return { ok: false, code: 'nickname_taken' };
        throw error;
      }
    },

    /** Live connections whose previous nickname was `nickname`, in one team or (null) all. */
    async renamedFrom(teamId: string | null, nickname: string): Promise<Connection[]> {
      const named = eq(connections.previousNicknameKey, nicknameKey(nickname));
      const rows = await db
        .select()
        .from(connections)
        .where(and(live, named, ...(teamId === null ? [] : [eq(connections.teamId, teamId)])));
      return rows.map(toConnection);
    },

    /**
     * Runs `work` in one transaction of the store: what it writes through any repository
     * of the store commits together or not at all, so a process killed half way leaves
     * neither part.
     */
    atomically: <T>(work: () => Promise<T>): Promise<T> => store.transaction(work),

    ...createConnectionStatusChanges(store, ring, clock),
    ...createClientKeyChanges(store, ring, clock),
    ...createConnectionUpkeep(store, ring, clock),
  });
}

export type ConnectionsRepo = ReturnType<typeof createConnectionsRepo>;

/**
 * The reads on Slack's ack path, the sweep's and the API's, prepared once. On PostgreSQL a
 * prepared read runs on the pool, outside any transaction: none of them is used inside one. drizzle builds
 * a query's SQL on every call, and for a select of every column that costs ~0.4 ms of
 * CPU, far more than SQLite takes to answer by index: the details step spent half its
 * time there (docs/benchmarks.md).
 */
function prepareReads(db: Db, { connections, connectionCounts }: Tables) {
  const param = {
    teamId: sql.placeholder('teamId'),
    id: sql.placeholder('id'),
    nicknameKey: sql.placeholder('nicknameKey'),
  };
  const ofTeam = eq(connections.teamId, param.teamId);
  const namedInTeam = and(live, ofTeam, eq(connections.nicknameKey, param.nicknameKey));
  const all = () => db.select().from(connections);
  const homeOrder = [
    asc(homeRankOf(connections)),
    asc(connections.nicknameKey),
    asc(connections.id),
  ] as const;
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
    teamCount: db
      .select({ n: sum(connectionCounts.n) })
      .from(connectionCounts)
      .where(
        and(
          eq(connectionCounts.teamId, param.teamId),
          sql`${connectionCounts.status} <> 'deleted'`,
        ),
      )
      .prepare(),
    homePage: all()
      .where(
        inArray(
          connections.id,
          db
            .select({ id: connections.id })
            .from(connections)
            .where(and(ofTeam, live))
            .orderBy(...homeOrder)
            .limit(sql.placeholder('limit'))
            .offset(sql.placeholder('offset')),
        ),
      )
      .orderBy(...homeOrder)
      .prepare(),
    // The counts come from connection_counts, kept by triggers on connections (migration
    // connection_counts): a few rows per team however many connections it has.
    teamStatusCounts: db
      .select({
        status: connectionCounts.status,
        attentionCode: connectionCounts.attentionCode,
        n: connectionCounts.n,
      })
      .from(connectionCounts)
      .where(eq(connectionCounts.teamId, param.teamId))
      .prepare(),
    statusCounts: db
      .select({ status: connectionCounts.status, n: sum(connectionCounts.n) })
      .from(connectionCounts)
      .groupBy(connectionCounts.status)
      .prepare(),
  };
}
