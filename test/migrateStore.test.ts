import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { getTableName, is, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { PgTable } from 'drizzle-orm/pg-core';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { createKeyRing } from '../src/crypto.ts';
import { createAuditRepo } from '../src/db/auditRepo.ts';
import { copyToPostgres } from '../src/db/copyToPostgres.ts';
import { openDatabase } from '../src/db/openDatabase.ts';
import { openPostgres } from '../src/db/openPostgres.ts';
import { SEALED_COLUMNS } from '../src/db/rotateKeys.ts';
import * as pgSchema from '../src/db/schema.pg.ts';
import * as sqliteSchema from '../src/db/schema.ts';
import { openSqliteSource, type SqliteSource } from '../src/db/sqliteSource.ts';
import { fillEveryTable } from './db/fillEveryTable.ts';
import { sealedSnapshot, seedSealedValues } from './db/rotationFixtures.ts';
import {
  createRepos,
  describePostgres,
  emptyPostgresDatabase,
  KEY_A,
  KEY_B,
  openSqliteTestDatabase,
  tempDir,
} from './db/testDatabase.ts';
import { createKeyInSlack } from './e2e/apiKeySteps.ts';
import { movableClock } from './e2e/apiSteps.ts';
import { connectActive, connectionNamed, requestSetupLink } from './e2e/connectionSteps.ts';
import { ADMIN, ENCRYPTION_KEY, type Harness, startHarness } from './e2e/harness.ts';
import { reachCallback } from './e2e/journey.ts';
import { seedActiveConnections } from './e2e/seed.ts';
import { cleanEnv, ROOT, runProcess, startProcess } from './tsxProcess.ts';

/**
 * `npm run migrate-store` as an operator runs it: the compiled command from package.json
 * (like test/compiledStart.test.ts), its own process, a working folder of its own with a
 * `.env` or the variables given, from a SQLite install into a new PostgreSQL database.
 */

const SCRIPT = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts['migrate-store'];
const NO_STRIPPING = 'typescript' in process.features ? ['--no-experimental-strip-types'] : [];
const base64 = (key: Buffer) => key.toString('base64');
const PASSWORD = 'n0t-4-r34l-p4ssw0rd';

function migrateStore(args: string[], env: Record<string, string>, cwd = tempDir()) {
  const [program, ...rest] = (SCRIPT ?? '').split(' ');
  expect(program, `npm run migrate-store runs node: ${SCRIPT}`).toBe('node');
  const entry = rest.at(-1) ?? '';
  expect(entry).toMatch(/^dist\/.+\.js$/);
  if (!existsSync(join(ROOT, entry))) throw new Error(`${entry} is missing: run npm run build`);
  const command = [
    process.execPath,
    ...NO_STRIPPING,
    ...rest.slice(0, -1),
    join(ROOT, entry),
    ...args,
  ];
  return runProcess(
    startProcess('npm run migrate-store', command, { cwd, env: cleanEnv(env) }),
    60_000,
  );
}

const sqliteTables = (Object.values(sqliteSchema) as unknown[]).filter((v): v is SQLiteTable =>
  is(v, SQLiteTable),
);
const pgTables = (Object.values(pgSchema) as unknown[]).filter((v): v is PgTable => is(v, PgTable));

const pools: pg.Pool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.end();
});

function pgPool(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pools.push(pool);
  return pool;
}

/** Every table of the PostgreSQL database with its row count (the bot's own tables only). */
async function pgCounts(url: string): Promise<Record<string, number>> {
  const pool = pgPool(url);
  const names = await pool.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
  );
  const counts: Record<string, number> = {};
  for (const { name } of names.rows) {
    const result = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${name}"`);
    counts[name] = Number(result.rows[0]?.n);
  }
  return counts;
}

function sqliteCounts(path: string): Record<string, number> {
  const sqlite = new Database(path, { readonly: true });
  try {
    const names = sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '__drizzle_migrations' ORDER BY 1",
      )
      .all() as { name: string }[];
    return Object.fromEntries(
      names.map(({ name }) => [
        name,
        (sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n,
      ]),
    );
  } finally {
    sqlite.close();
  }
}

/** Every row of every table as the bot's drizzle reads it, in a stable order, by table name. */
async function rowsEverywhere(path: string, url: string) {
  const handle = openDatabase(path);
  const pgDb = drizzle(pgPool(url));
  const sorted = (rows: unknown[]) => rows.map((row) => JSON.stringify(row)).sort();
  const fromSqlite: Record<string, string[]> = {};
  const fromPg: Record<string, string[]> = {};
  try {
    for (const table of sqliteTables) {
      fromSqlite[getTableName(table)] = sorted(await handle.db.select().from(table));
    }
    for (const table of pgTables) {
      fromPg[getTableName(table)] = sorted(await pgDb.select().from(table));
    }
  } finally {
    await handle.close();
  }
  return { fromSqlite, fromPg };
}

/** `table.column:id` → sealed text, as stored in PostgreSQL. */
async function pgSealed(url: string): Promise<Map<string, string>> {
  const pool = pgPool(url);
  const snapshot = new Map<string, string>();
  for (const [table, columns] of Object.entries(SEALED_COLUMNS)) {
    for (const column of columns) {
      const rows = await pool.query<{ id: string; sealed: string }>(
        `SELECT id, ${column} AS sealed FROM ${table} WHERE ${column} IS NOT NULL`,
      );
      for (const row of rows.rows) snapshot.set(`${table}.${column}:${row.id}`, row.sealed);
    }
  }
  return snapshot;
}

/** A SQLite install as the bot leaves it: migrated, secrets sealed with `key`, closed. */
async function sealedInstall(key = KEY_A) {
  const path = join(tempDir(), 'okta-connect.sqlite');
  const handle = openSqliteTestDatabase('file', path);
  const plaintexts = await seedSealedValues(createRepos(handle, createKeyRing(key)));
  await handle.close();
  return { path, plaintexts };
}

// Each test starts the command, a compiled node process, several times on a shared machine.
describePostgres('npm run migrate-store', { timeout: 60_000 }, () => {
  it('copies every row of every table the schema declares, each column converted, and prints the verified counts', async () => {
    const path = join(tempDir(), 'okta-connect.sqlite');
    const handle = openDatabase(path);
    await fillEveryTable(handle, createKeyRing(KEY_A), 25);
    await handle.close();
    const url = await emptyPostgresDatabase();

    // A small batch, so that every table takes several pages.
    const run = await migrateStore(['--to', url, '--batch-rows', '7'], {
      DATABASE_PATH: path,
      ENCRYPTION_KEY: base64(KEY_A),
    });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const schemaTables = sqliteTables.map((table) => getTableName(table)).sort();
    const inSqlite = sqliteCounts(path);
    const inPg = await pgCounts(url);
    // Every table of the schema, of the file and of the target is copied, none empty.
    expect(Object.keys(inSqlite).sort()).toEqual(schemaTables);
    expect(Object.keys(inPg).sort()).toEqual(schemaTables);
    expect(inPg).toEqual(inSqlite);
    for (const table of schemaTables) {
      expect(inPg[table]).toBe(25);
      expect(run.stdout).toMatch(
        new RegExp(`\\n  ${table} +25 rows  checksum [0-9a-f]{12} matches`),
      );
    }
    expect(run.stdout).toContain(
      `Done: ${25 * schemaTables.length} rows in ${schemaTables.length} tables`,
    );
    // Each value, read back by each dialect's drizzle as the repositories read it.
    const { fromSqlite, fromPg } = await rowsEverywhere(path, url);
    expect(fromPg).toEqual(fromSqlite);
    // The ids were copied as they were; the next event the bot writes follows them.
    const store = await openPostgres(url, { poolSize: 1 });
    try {
      const id = await createAuditRepo(store).record({
        teamId: 'T1',
        actor: 'U1',
        action: 'after',
      });
      expect(id).toBe(2 ** 40 + 24 * 3 + 1);
    } finally {
      await store.close();
    }
  });

  it('copies an empty install, and sealed values byte for byte', async () => {
    const empty = join(tempDir(), 'empty.sqlite');
    await openDatabase(empty).close();
    const emptyTarget = await emptyPostgresDatabase();
    const none = await migrateStore(['--to', emptyTarget], {
      DATABASE_PATH: empty,
      ENCRYPTION_KEY: base64(KEY_A),
    });
    expect(none.code).toBe(0);
    expect(none.stdout).toContain(`Done: 0 rows in ${sqliteTables.length} tables`);

    const { path, plaintexts } = await sealedInstall();
    const url = await emptyPostgresDatabase();
    const run = await migrateStore(
      ['--to', url],
      { ENCRYPTION_KEY: base64(KEY_A) },
      tempCwdWith(path),
    );
    expect(run.code).toBe(0);
    const sqlite = new Database(path, { readonly: true });
    const before = sealedSnapshot(sqlite);
    sqlite.close();
    expect(before.size).toBe(plaintexts.size);
    expect(await pgSealed(url)).toEqual(before);
    expect(run.stdout).toContain('(9 sealed values, copied unchanged)');
    for (const secret of [...plaintexts.values(), base64(KEY_A), 'v1.']) {
      expect(run.stdout + run.stderr).not.toContain(secret);
    }
  });

  it('gives the bot on PostgreSQL the whole install: its connection listed, a token from the API, then refreshed', async () => {
    const clock = movableClock();
    const a = await startHarness({ now: clock.now });
    let aRunning = true;
    let b: Harness | undefined;
    try {
      const prod = await connectActive(a, { nickname: 'acme-prod' });
      await seedActiveConnections(a, 2, { prefix: 'seeded' });
      // An authorization in progress: its PKCE verifier and typed secret are sealed.
      const { link } = await requestSetupLink(a, { nickname: 'acme-later' });
      await reachCallback(a, link);
      const { key } = await createKeyInSlack(a.slack, a.admin, ADMIN, 'migrator', {
        connections: [prod.id],
        actions: ['read', 'token'],
      });
      const tokenOn = (h: Harness) =>
        fetch(`${h.publicUrl}/api/connections/acme-prod/token`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${key}` },
        });
      const before = (await (await tokenOn(a)).json()) as { access_token: string };
      const teamId = a.slack.identity.teamId;
      const trailBefore = await a.bot.flows.audit.list(teamId, { limit: 500 });
      aRunning = false;
      await a.bot.stop();
      await a.database.close();
      const sourceCounts = sqliteCounts(a.databasePath);
      for (const table of [
        'connections',
        'auth_requests',
        'audit_events',
        'api_keys',
        'api_key_connections',
        'slack_deliveries',
      ]) {
        expect(sourceCounts[table], table).toBeGreaterThan(0);
      }

      // The operator's folder: the bot's .env, as it ran on SQLite.
      const cwd = tempDir();
      writeFileSync(
        join(cwd, '.env'),
        `DATABASE_PATH=${a.databasePath}\nENCRYPTION_KEY=${ENCRYPTION_KEY}\n`,
      );
      const url = await emptyPostgresDatabase();
      const run = await migrateStore(['--to', url], {}, cwd);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(await pgCounts(url)).toEqual(sourceCounts);
      expect(run.stdout).not.toContain(ENCRYPTION_KEY);
      expect(run.stdout).not.toContain(before.access_token);

      b = await startHarness({ now: clock.now, databaseUrl: url, peersOf: a });
      const listed = await fetch(`${b.publicUrl}/api/connections`, {
        headers: { Authorization: `Bearer ${key}` },
      });
      expect(listed.status).toBe(200);
      expect(JSON.stringify(await listed.json())).toContain(prod.id);
      // The sealed access token opens on PostgreSQL with the same key: the same token.
      const same = await tokenOn(b);
      expect(same.status).toBe(200);
      expect(((await same.json()) as { access_token: string }).access_token).toBe(
        before.access_token,
      );
      // Due for a refresh: the sealed refresh token and client secret work with Okta.
      const refreshes = a.okta.countRequests('/oauth2/v1/token', 200);
      clock.advance(55 * 60 * 1000);
      const fresh = await tokenOn(b);
      expect(fresh.status).toBe(200);
      const refreshed = (await fresh.json()) as { access_token: string };
      expect(refreshed.access_token).not.toBe(before.access_token);
      expect(a.okta.countRequests('/oauth2/v1/token', 200)).toBeGreaterThan(refreshes);
      expect((await connectionNamed(b, 'acme-prod')).lastRefreshedAt).not.toBeNull();
      // The audit trail came along, and goes on after it.
      const trailAfter = await b.bot.flows.audit.list(teamId, { limit: 500 });
      expect(trailAfter.length).toBeGreaterThan(trailBefore.length);
      expect(trailAfter).toEqual(expect.arrayContaining(trailBefore));
    } finally {
      await b?.close();
      if (aRunning) {
        await a.close();
      } else {
        await a.slack.close();
        await a.okta.close();
        rmSync(dirname(a.databasePath), { recursive: true, force: true });
      }
    }
  });

  it('refuses a target that already holds rows, and changes nothing there', async () => {
    const { path } = await sealedInstall();
    const url = await emptyPostgresDatabase();
    const env = { DATABASE_PATH: path, ENCRYPTION_KEY: base64(KEY_A) };
    expect((await migrateStore(['--to', url], env)).code).toBe(0);
    const after = await pgCounts(url);
    const sealed = await pgSealed(url);

    const again = await migrateStore(['--to', url], env);

    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already holds rows');
    expect(again.stderr).toContain('connections: 4 rows');
    expect(again.stderr).toContain('Nothing was written');
    expect(await pgCounts(url)).toEqual(after);
    expect(await pgSealed(url)).toEqual(sealed);
  });

  it('names --to or DATABASE_URL, never the password, when the URL is wrong or the server refuses', async () => {
    const { path } = await sealedInstall();
    const env = { DATABASE_PATH: path, ENCRYPTION_KEY: base64(KEY_A) };
    const server = new URL(await emptyPostgresDatabase());

    const notUrl = await migrateStore(['--to', `postgres//postgres:${PASSWORD}@nowhere`], env);
    expect(notUrl.code).toBe(1);
    expect(notUrl.stderr).toContain('--to is not a URL');

    const mysql = await migrateStore([], { ...env, DATABASE_URL: `mysql://root:${PASSWORD}@db/x` });
    expect(mysql.code).toBe(1);
    expect(mysql.stderr).toContain('DATABASE_URL must start with postgres://');

    const role = new URL(server);
    role.username = 'no_such_role';
    role.password = PASSWORD;
    const refused = await migrateStore(['--to', role.toString()], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('cannot open the PostgreSQL database (--to)');
    expect(refused.stderr).toContain('role "no_such_role" does not exist');
    expect(refused.stderr).toContain('no_such_role:***@');

    const closed = new URL(role);
    closed.port = '1';
    const unreachable = await migrateStore([], { ...env, DATABASE_URL: closed.toString() });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('(DATABASE_URL)');
    expect(unreachable.stderr).toMatch(/ECONNREFUSED|connect/);

    for (const run of [notUrl, mysql, refused, unreachable]) {
      expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    }
  });

  it('refuses without ENCRYPTION_KEY, pointing at the generated key file without printing it', async () => {
    const { path } = await sealedInstall();
    const keyFile = join(path, '..', 'encryption.key');
    writeFileSync(keyFile, `${base64(KEY_A)}\n`, { mode: 0o600 });
    const url = await emptyPostgresDatabase();

    const run = await migrateStore(['--to', url], { DATABASE_PATH: path });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ENCRYPTION_KEY is not set');
    expect(run.stderr).toContain(`This install uses the key the bot generated into ${keyFile}`);
    expect(run.stderr).toContain(`ENCRYPTION_KEY="$(cat ${keyFile})"`);
    expect(run.stdout + run.stderr).not.toContain(base64(KEY_A));
    expect(await pgCounts(url)).toEqual({});
  });

  it('refuses when ENCRYPTION_KEY does not open the sealed values, naming the key file when it is that one', async () => {
    const { path } = await sealedInstall(KEY_A);
    writeFileSync(join(path, '..', 'encryption.key'), `${base64(KEY_A)}\n`, { mode: 0o600 });
    const url = await emptyPostgresDatabase();

    const run = await migrateStore(['--to', url], {
      DATABASE_PATH: path,
      ENCRYPTION_KEY: base64(KEY_B),
    });

    expect(run.code).toBe(1);
    const idA = createKeyRing(KEY_A).currentKeyId;
    expect(run.stderr).toContain(`13 value(s) sealed with key ${idA}, which is not configured`);
    expect(run.stderr).toContain('it is the key in');
    expect(run.stderr).toContain('Nothing was written');
    expect(run.stdout + run.stderr).not.toContain(base64(KEY_A));
    expect(await pgCounts(url)).toEqual({});
  });

  it('refuses a source that is missing, not the bot’s, or of another version, writing nothing', async () => {
    const url = await emptyPostgresDatabase();
    const env = { ENCRYPTION_KEY: base64(KEY_A) };
    const missing = join(tempDir(), 'typo', 'okta-connect.sqlite');
    const run = await migrateStore(['--to', url, '--from', missing], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`there is no database at ${missing}`);
    expect(existsSync(join(missing, '..'))).toBe(false);

    const foreign = join(tempDir(), 'other.sqlite');
    withSqlite(foreign, (db) => db.exec('CREATE TABLE t (x)'));
    const notOurs = await migrateStore(['--to', url, '--from', foreign], env);
    expect(notOurs.code).toBe(1);
    expect(notOurs.stderr).toContain('is not an okta-connect database');

    /** The command run on an install that `statement` changed. */
    const fromInstallAfter = async (statement: string) => {
      const { path } = await sealedInstall();
      withSqlite(path, (db) => db.exec(statement));
      return migrateStore(['--to', url, '--from', path], env);
    };

    const fromOlder = await fromInstallAfter(
      'DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)',
    );
    expect(fromOlder.code).toBe(1);
    expect(fromOlder.stderr).toContain('was last migrated by an older version of okta-connect');

    const fromNewer = await fromInstallAfter(
      `INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('future', ${Date.now() + 10 ** 12})`,
    );
    expect(fromNewer.code).toBe(1);
    expect(fromNewer.stderr).toContain('newer than this version of okta-connect knows');

    expect(await pgCounts(url)).toEqual({});
  });

  it('rolls everything back when a value cannot go into PostgreSQL, naming the row but not the value', async () => {
    const { path } = await sealedInstall();
    // Copied last (no table depends on it): every other table is already in the transaction.
    withSqlite(path, (db) =>
      db.exec(
        "INSERT INTO slack_deliveries (delivery_key, response, created_at, expires_at) VALUES ('view-1', 'held' || char(0) || 'back', 1, 2)",
      ),
    );
    const url = await emptyPostgresDatabase();

    const run = await migrateStore(['--to', url], {
      DATABASE_PATH: path,
      ENCRYPTION_KEY: base64(KEY_A),
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'in slack_deliveries, row delivery_key=view-1: response holds text with a NUL character',
    );
    expect(run.stderr).toContain('nothing was written');
    expect(run.stderr).not.toContain('held');
    const counts = await pgCounts(url);
    expect(Object.values(counts).every((rows) => rows === 0)).toBe(true);
    expect(Object.keys(counts).sort()).toEqual(sqliteTables.map((t) => getTableName(t)).sort());
  });

  it('rolls back when the SQLite file changes during the copy (a bot still running on it)', async () => {
    const { path } = await sealedInstall();
    const opened = openSqliteSource(path);
    if (!opened.ok) throw new Error(opened.message);
    const writer = new Database(path);
    // A bot's write landing while the first table is being copied.
    const source: SqliteSource = {
      ...opened.source,
      *pages(table, size) {
        writer.exec(
          "INSERT INTO audit_events (team_id, actor, action, details, at) VALUES ('T', 'U', 'late', '{}', 1)",
        );
        yield* opened.source.pages(table, size);
      },
    };
    const url = await emptyPostgresDatabase();
    const store = await openPostgres(url, { poolSize: 1 });
    try {
      const result = await copyToPostgres(source, store);
      expect(result).toMatchObject({ ok: false, code: 'source_changed' });
      const [row] = await store.all<{ n: string }>(sql`SELECT count(*) AS n FROM connections`);
      expect(Number(row?.n)).toBe(0);
    } finally {
      opened.source.close();
      writer.close();
      await store.close();
    }
  });
});

function withSqlite(path: string, work: (db: Database.Database) => void) {
  const db = new Database(path);
  try {
    work(db);
  } finally {
    db.close();
  }
}

/** A working folder whose default DATABASE_PATH (./data/okta-connect.sqlite) is `path`'s copy. */
function tempCwdWith(path: string): string {
  const cwd = tempDir();
  mkdirSync(join(cwd, 'data'));
  copyFileSync(path, join(cwd, 'data', 'okta-connect.sqlite'));
  return cwd;
}
