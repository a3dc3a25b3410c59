import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { MIGRATIONS_FOLDERS, refuseNewerSchema } from './migrationJournal.ts';
import * as schema from './schema.ts';
import {
  type Db,
  type Store,
  type StoreStatus,
  sqliteTurns,
  tablesOf,
  transactionScopes,
} from './store.ts';

export type { Db } from './store.ts';

/** The SQLite store, with the raw connection for the tools and tests that need it. */
export interface DatabaseHandle extends Store {
  sqlite: Database.Database;
}

const MIGRATIONS_TABLE = '__drizzle_migrations';

const TABLES = tablesOf(schema);

/** Opens (creating if needed) the database at `path` or `':memory:'` and applies pending migrations. */
export function openDatabase(path: string): DatabaseHandle {
  const inMemory = path === ':memory:';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  try {
    applyPragmas(sqlite, inMemory);
    const db: Db = drizzle(sqlite, { schema });
    refuseNewerSchema('sqlite', appliedMigrations(sqlite));
    const before = appliedMigrations(sqlite).length;
    runMigrations(db, sqlite, before);
    const scopes = transactionScopes<true>();
    const turns = sqliteTurns(() => scopes.current() !== undefined);
    const handle: DatabaseHandle = {
      dialect: 'sqlite',
      db,
      sqlite,
      tables: TABLES,
      migrationsApplied: appliedMigrations(sqlite).length - before,
      transaction(work) {
        if (scopes.current()) return work();
        return turns.exclusive(async () => {
          // IMMEDIATE takes the write lock now, so two processes sharing the file queue
          // here instead of failing with SQLITE_BUSY on their first write.
          sqlite.exec('BEGIN IMMEDIATE');
          try {
            const result = await scopes.run(true, work);
            sqlite.exec('COMMIT');
            return result;
          } catch (error) {
            if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
            throw error;
          }
        });
      },
      lockRow: async () => {},
      all: async <T>(query: SQL) => db.all<T>(query),
      run: async (query) => {
        db.run(query);
      },
      serialize: (repository) => turns.serialize(repository),
      status: async () => databaseStatus(sqlite),
      close: async () => {
        if (sqlite.open) sqlite.close();
      },
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
  const config = { migrationsFolder: MIGRATIONS_FOLDERS.sqlite, migrationsTable: MIGRATIONS_TABLE };
  try {
    migrate(db, config);
  } catch (error) {
    if (appliedMigrations(sqlite).length <= countBefore) throw error;
    migrate(db, config);
  }
}

/** When each applied migration was made (drizzle's `created_at`), oldest first. */
function appliedMigrations(sqlite: Database.Database): number[] {
  const table = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(MIGRATIONS_TABLE);
  if (!table) return [];
  const rows = sqlite
    .prepare(`SELECT created_at AS at FROM ${MIGRATIONS_TABLE} ORDER BY created_at`)
    .all() as { at: number | null }[];
  return rows.map((row) => Number(row.at ?? 0));
}

function databaseStatus(sqlite: Database.Database): StoreStatus {
  try {
    const journalMode = String(sqlite.pragma('journal_mode', { simple: true }));
    return {
      ok: true,
      dialect: 'sqlite',
      journalMode,
      migrations: appliedMigrations(sqlite).length,
    };
  } catch {
    return { ok: false, dialect: 'sqlite', journalMode: 'unknown', migrations: 0 };
  }
}
