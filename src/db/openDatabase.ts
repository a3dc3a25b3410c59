import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema>;

export interface DatabaseHandle {
  db: Db;
  sqlite: Database.Database;
  /** How many migrations this open applied (0 when the file was already up to date). */
  migrationsApplied: number;
  /** `databaseStatus` of this handle, for `/healthz` and the start-up log line. */
  status(): DatabaseStatus;
  close(): void;
}

export interface DatabaseStatus {
  ok: boolean;
  journalMode: string;
  migrations: number;
}

// Resolved from this file, not the working directory, so `tsx src/main.ts`, vitest and
// scripts all find the same committed migrations.
const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));
const MIGRATIONS_TABLE = '__drizzle_migrations';

/** Opens (creating if needed) the database at `path` or `':memory:'` and applies pending migrations. */
export function openDatabase(path: string): DatabaseHandle {
  const inMemory = path === ':memory:';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  try {
    applyPragmas(sqlite, inMemory);
    const db = drizzle(sqlite, { schema });
    const before = countMigrations(sqlite);
    runMigrations(db, sqlite, before);
    const handle: DatabaseHandle = {
      db,
      sqlite,
      migrationsApplied: countMigrations(sqlite) - before,
      status: () => databaseStatus(handle),
      close: () => sqlite.close(),
    };
    return handle;
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

function applyPragmas(sqlite: Database.Database, inMemory: boolean): void {
  // WAL lets the health sweep write while Slack handlers read, and lets a second process
  // (a CLI script, another replica on the same volume) share the file.
  if (!inMemory) sqlite.pragma('journal_mode = WAL');
  // Wait for a competing writer instead of failing at once with SQLITE_BUSY.
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // With WAL, NORMAL is durable across application crashes; only a power loss can drop the
  // last commits, which costs at most a refresh that Okta's grace period covers.
  sqlite.pragma('synchronous = NORMAL');
}

/**
 * drizzle's migrator reads the last applied migration before it opens its transaction,
 * so two processes starting together on a fresh file can both try the first migration;
 * the loser fails on "table already exists". Running it again then finds nothing to do.
 */
function runMigrations(db: Db, sqlite: Database.Database, countBefore: number): void {
  const config = { migrationsFolder: MIGRATIONS_FOLDER, migrationsTable: MIGRATIONS_TABLE };
  try {
    migrate(db, config);
  } catch (error) {
    if (countMigrations(sqlite) <= countBefore) throw error;
    migrate(db, config);
  }
}

function countMigrations(sqlite: Database.Database): number {
  const table = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(MIGRATIONS_TABLE);
  if (!table) return 0;
  const row = sqlite.prepare(`SELECT count(*) AS n FROM ${MIGRATIONS_TABLE}`).get() as {
    n: number;
  };
  return row.n;
}

/** For `/healthz`: the database answers, its journal mode, and how many migrations it has. */
export function databaseStatus(handle: Pick<DatabaseHandle, 'sqlite'>): DatabaseStatus {
  try {
    const journalMode = String(handle.sqlite.pragma('journal_mode', { simple: true }));
    return { ok: true, journalMode, migrations: countMigrations(handle.sqlite) };
  } catch {
    return { ok: false, journalMode: 'unknown', migrations: 0 };
  }
}
