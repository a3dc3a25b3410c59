import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle as sqliteDrizzle } from 'drizzle-orm/better-sqlite3';
import { migrate as sqliteMigrate } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as pgDrizzle } from 'drizzle-orm/node-postgres';
import { migrate as pgMigrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDERS } from '../../src/db/migrationJournal.ts';
import { openPostgres } from '../../src/db/openPostgres.ts';
import type { Dialect, Store } from '../../src/db/store.ts';
import {
  authorization,
  createRepos,
  DATABASE_KINDS,
  describePostgres,
  emptyPostgresDatabase,
  newConnection,
  openSqliteTestDatabase,
  openTestDatabase,
  type Repos,
  tempDir,
} from './testDatabase.ts';

/**
 * connection_counts is kept by triggers on connections (migration connection_counts). After
 * any sequence of writes it must hold exactly what a GROUP BY over connections says, and
 * the repository's counts must be what the rows themselves say.
 */

type CountRow = { team: string; status: string; code: string; n: number };

const key = (row: CountRow) => `${row.team}|${row.status}|${row.code}`;

/** connection_counts, rows at 0 left out, as `team|status|code` → n. */
async function counters(store: Store): Promise<Map<string, number>> {
  const rows = await store.all<CountRow>(
    sql`SELECT team_id AS team, status, attention_code AS code, n FROM connection_counts`,
  );
  for (const row of rows) expect(Number(row.n), key(row)).toBeGreaterThanOrEqual(0);
  return new Map(rows.filter((row) => Number(row.n) !== 0).map((row) => [key(row), Number(row.n)]));
}

/** The same counted from connections, row by row. */
async function grouped(store: Store): Promise<Map<string, number>> {
  const rows = await store.all<CountRow>(sql`
    SELECT team_id AS team, status, coalesce(attention_code, '') AS code, count(*) AS n
    FROM connections GROUP BY team_id, status, coalesce(attention_code, '')`);
  return new Map(rows.map((row) => [key(row), Number(row.n)]));
}

/** What the repository must answer, computed in JS from every connection's row. */
async function expectedAnswers(store: Store, teams: readonly string[]) {
  const rows = await store.all<{ team: string; status: string; code: string | null }>(
    sql`SELECT team_id AS team, status, attention_code AS code FROM connections`,
  );
  const byStatus: Record<string, number> = {};
  for (const row of rows) byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
  const perTeam = Object.fromEntries(
    teams.map((team) => {
      const live = rows.filter((row) => row.team === team && row.status !== 'deleted');
      const rank = (row: (typeof live)[number]) =>
        row.status === 'needs_reauth'
          ? 0
          : row.status === 'active'
            ? row.code === null
              ? 4
              : 1
            : row.status === 'pending'
              ? 3
              : 2;
      const groups = [0, 0, 0, 0, 0];
      for (const row of live) groups[rank(row)] = (groups[rank(row)] ?? 0) + 1;
      return [team, { total: live.length, groups }];
    }),
  );
  return { byStatus, perTeam };
}

async function expectCountsRight(repos: Repos, teams: readonly string[]) {
  expect(await counters(repos.handle)).toEqual(await grouped(repos.handle));
  const expected = await expectedAnswers(repos.handle, teams);
  expect(await repos.connections.countByStatus()).toEqual(expected.byStatus);
  for (const team of teams) {
    expect(await repos.connections.countByTeam(team)).toBe(expected.perTeam[team]?.total);
    expect(await repos.connections.countHomeGroups(team)).toEqual(expected.perTeam[team]?.groups);
  }
}

/** A small deterministic generator, so that a failing sequence can be run again. */
function random(seed: number) {
  let state = seed >>> 0;
  return (below: number) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return (state >>> 16) % below; // the high bits: the low ones of an LCG cycle shortly
  };
}

const TEAMS = ['T_ONE', 'T_TWO', 'T_THREE'] as const;
const CODES = ['insufficient_scope', 'app_unassigned'] as const;

describe.each(DATABASE_KINDS)('connection_counts on %s', (kind) => {
  it('equals a GROUP BY over connections after random creates, transitions, moves and deletes', async () => {
    const repos = createRepos(await openTestDatabase(kind));
    const { connections } = repos;
    const next = random(kind === 'postgres' ? 12 : kind === 'file' ? 7 : 3);
    const ids: string[] = [];
    const reached = new Set<string>();
    await expectCountsRight(repos, TEAMS);
    for (let step = 0; step < 300; step += 1) {
      const id = ids[next(Math.max(ids.length, 1))];
      const op = ids.length < 5 ? 0 : next(12);
      if (op === 0 || !id) {
        const made = await connections.createPending(
          newConnection({ teamId: TEAMS[next(TEAMS.length)], nickname: `conn-${step}` }),
        );
        if (!made.ok) throw new Error(made.code);
        ids.push(made.connection.id);
      } else if (op === 1) {
        await connections.markActive(id, authorization());
      } else if (op === 2) {
        // Attention on an active connection (the Home tab's own group), or on another status.
        if (next(2) === 0) await connections.markActive(id, authorization());
        await connections.setAttention(id, {
          code: CODES[next(CODES.length)] as string,
          text: null,
          scope: null,
        });
      } else if (op === 3) {
        await connections.clearAttention(id);
      } else if (op === 4) {
        await connections.markNeedsReauth(id, 'invalid_grant', null);
      } else if (op === 5) {
        await connections.markFailed(id, 'invalid_scope', null);
      } else if (op === 6) {
        await connections.markDeleted(id);
      } else if (op === 7) {
        // Another team: nicknames are unique across the test, so no index objects.
        await repos.handle.run(
          sql`UPDATE connections SET team_id = ${TEAMS[next(TEAMS.length)]} WHERE id = ${id}`,
        );
      } else if (op === 8) {
        await repos.handle.run(sql`DELETE FROM connections WHERE id = ${id}`);
        ids.splice(ids.indexOf(id), 1);
      } else if (op === 9) {
        // The counted columns set to what they hold, and one that is not counted.
        await repos.handle.run(
          sql`UPDATE connections SET status = status, team_id = team_id, attention_code = attention_code, domain = 'x.okta.com' WHERE id = ${id}`,
        );
      } else if (op === 10) {
        // Many rows in one statement, some of them changing nothing.
        await repos.handle.run(
          sql`UPDATE connections SET status = 'failed', attention_code = NULL WHERE team_id = ${TEAMS[next(TEAMS.length)]} AND status <> 'deleted'`,
        );
      } else {
        // Moves and status changes together, in one transaction that is rolled back.
        await repos.handle
          .transaction(async () => {
            await repos.handle.run(
              sql`UPDATE connections SET team_id = 'T_GONE', status = 'active' WHERE id = ${id}`,
            );
            throw new Error('roll back');
          })
          .catch((error: Error) => {
            if (error.message !== 'roll back') throw error;
          });
      }
      if (step % 10 === 9) {
        await expectCountsRight(repos, TEAMS);
        for (const k of (await counters(repos.handle)).keys()) reached.add(k);
      }
    }
    await expectCountsRight(repos, TEAMS);
    // The checks saw every status, with and without attention, in every team.
    const seen = [...reached].map((k) => k.split('|'));
    for (const status of ['pending', 'active', 'needs_reauth', 'failed', 'deleted']) {
      expect(
        seen.some(([, s]) => s === status),
        status,
      ).toBe(true);
    }
    for (const team of TEAMS) expect(seen.some(([t]) => t === team)).toBe(true);
    expect(seen.some(([, s, code]) => s === 'active' && code !== '')).toBe(true);
    expect(seen.some(([, s, code]) => s === 'active' && code === '')).toBe(true);
  });

  it('would show a counter that went wrong', async () => {
    const repos = createRepos(await openTestDatabase(kind));
    await repos.connections.createPending(newConnection({ teamId: 'T_ONE', nickname: 'a' }));
    await repos.handle.run(sql`UPDATE connection_counts SET n = n + 1`);
    expect(await counters(repos.handle)).not.toEqual(await grouped(repos.handle));
    expect(await repos.connections.countByTeam('T_ONE')).toBe(2);
  });
});

/** The migration folder up to (not including) the connection_counts migrations. */
function migrationsBeforeCounts(dialect: Dialect): string {
  const folder = join(tempDir(), `${dialect}-migrations`);
  cpSync(MIGRATIONS_FOLDERS[dialect], folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as {
    entries: { tag: string }[];
  };
  const first = journal.entries.findIndex((entry) => entry.tag.includes('connection_counts'));
  expect(first).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, first);
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

/** Rows as an install had them before the counts: every status, attention or not, two teams. */
const OLD_ROWS = sql`
  INSERT INTO connections (id, team_id, nickname, nickname_key, org_kind, domain, client_id,
    scope_mode, status, attention_code, created_by, created_at, updated_at)
  VALUES
    ('c1', 'T_A', 'one', 'one', 'home', 'a.okta.com', 'c', 'default', 'active', NULL, 'U', 1, 1),
    ('c2', 'T_A', 'two', 'two', 'home', 'a.okta.com', 'c', 'default', 'active', 'insufficient_scope', 'U', 1, 1),
    ('c3', 'T_A', 'three', 'three', 'home', 'a.okta.com', 'c', 'default', 'active', NULL, 'U', 1, 1),
    ('c4', 'T_A', 'four', 'four', 'home', 'a.okta.com', 'c', 'default', 'deleted', NULL, 'U', 1, 1),
    ('c5', 'T_A', 'five', 'five', 'home', 'a.okta.com', 'c', 'default', 'needs_reauth', 'insufficient_scope', 'U', 1, 1),
    ('c6', 'T_B', 'one', 'one', 'home', 'a.okta.com', 'c', 'default', 'pending', NULL, 'U', 1, 1),
    ('c7', 'T_B', 'two', 'two', 'home', 'a.okta.com', 'c', 'default', 'failed', NULL, 'U', 1, 1)`;

const OLD_COUNTS = new Map([
  ['T_A|active|', 2],
  ['T_A|active|insufficient_scope', 1],
  ['T_A|deleted|', 1],
  ['T_A|needs_reauth|insufficient_scope', 1],
  ['T_B|pending|', 1],
  ['T_B|failed|', 1],
]);

async function expectStartsRight(store: Store) {
  expect(await counters(store)).toEqual(OLD_COUNTS);
  const repos = createRepos(store);
  expect(await repos.connections.countHomeGroups('T_A')).toEqual([1, 1, 0, 0, 2]);
  expect(await repos.connections.countByTeam('T_A')).toBe(4);
  expect(await repos.connections.countByStatus()).toEqual({
    active: 3,
    deleted: 1,
    needs_reauth: 1,
    pending: 1,
    failed: 1,
  });
  // And the triggers keep them from there.
  await store.run(sql`UPDATE connections SET status = 'failed' WHERE id = 'c1'`);
  expect(await counters(store)).toEqual(await grouped(store));
  expect(await repos.connections.countHomeGroups('T_A')).toEqual([1, 1, 1, 0, 1]);
}

describe('the connection_counts migration', () => {
  it('starts a SQLite install that already has connections with right counts', async () => {
    const path = join(tempDir(), 'old.sqlite');
    const sqlite = new Database(path);
    sqliteMigrate(sqliteDrizzle(sqlite), {
      migrationsFolder: migrationsBeforeCounts('sqlite'),
      migrationsTable: '__drizzle_migrations', // as openDatabase.ts names it
    });
    sqliteDrizzle(sqlite).run(OLD_ROWS);
    expect(
      sqlite.prepare("SELECT name FROM sqlite_master WHERE name = 'connection_counts'").all(),
    ).toEqual([]);
    sqlite.close();

    await expectStartsRight(openSqliteTestDatabase('file', path));
  });

  describePostgres('on PostgreSQL', () => {
    it('starts an install that already has connections with right counts', async () => {
      const url = await emptyPostgresDatabase();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await pgMigrate(pgDrizzle(client), {
          migrationsFolder: migrationsBeforeCounts('postgres'),
          // As openPostgres.ts names them.
          migrationsSchema: 'drizzle',
          migrationsTable: '__drizzle_migrations',
        });
        await pgDrizzle(client).execute(OLD_ROWS);
        const before = await client.query("SELECT to_regclass('connection_counts') AS t");
        expect(before.rows[0].t).toBeNull();
      } finally {
        await client.end();
      }
      const store = await openPostgres(url, { poolSize: 2 });
      try {
        await expectStartsRight(store);
      } finally {
        await store.close();
      }
    });
  });
});

describePostgres('connection_counts under concurrent transitions on PostgreSQL', () => {
  it('moves connections x→y and y→x at once from two pools, 200 rounds, without a deadlock', async () => {
    const a = await openTestDatabase('postgres', 'shared');
    const b = await openTestDatabase('postgres', 'shared');
    const repos = createRepos(a);
    const one = await repos.connections.createPending(newConnection({ nickname: 'one' }));
    const two = await repos.connections.createPending(newConnection({ nickname: 'two' }));
    if (!one.ok || !two.ok) throw new Error('create failed');
    const set = (store: Store, id: string, status: string) =>
      store.transaction(() =>
        store.run(sql`UPDATE connections SET status = ${status} WHERE id = ${id}`),
      );
    // A pause after each counter row is written, so that the two transactions interleave
    // between a transition's two counter rows: touched in any order but a fixed one, they
    // would then deadlock within a few rounds (this test failed so).
    await a.run(sql`CREATE FUNCTION test_counts_pause() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(0.002); RETURN NULL; END $$`);
    await a.run(sql`CREATE TRIGGER test_counts_pause AFTER INSERT OR UPDATE ON connection_counts
      FOR EACH ROW EXECUTE FUNCTION test_counts_pause()`);
    try {
      for (let round = 0; round < 200; round += 1) {
        const [x, y] = round % 2 === 0 ? ['active', 'needs_reauth'] : ['needs_reauth', 'active'];
        // one goes to x while two goes to y; from round 1 on each was in the other's status.
        const results = await Promise.allSettled([
          set(a, one.connection.id, x),
          set(b, two.connection.id, y),
        ]);
        const failed = results.filter((r) => r.status === 'rejected');
        expect(failed.map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
      }
    } finally {
      await a.run(sql`DROP TRIGGER test_counts_pause ON connection_counts`);
      await a.run(sql`DROP FUNCTION test_counts_pause()`);
    }
    expect(await counters(a)).toEqual(await grouped(a));
    expect(await counters(a)).toEqual(
      new Map([
        ['T_ACME|active|', 1],
        ['T_ACME|needs_reauth|', 1],
      ]),
    );
  });
});
