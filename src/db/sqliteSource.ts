import Database from 'better-sqlite3';
import { newestKnownMigration } from './migrationJournal.ts';

/**
 * The SQLite install that `npm run migrate-store` copies, opened read-only: the command
 * never writes to it, so it stays the backup it was. Everything is read inside one read
 * transaction, so the copy is one consistent moment of the database even if something
 * wrote to it meanwhile; `changedSince` then tells whether something did.
 */
export interface SqliteSource {
  readonly path: string;
  /** Tables in the file, as SQLite lists them, without SQLite's and drizzle's own. */
  tables(): string[];
  columns(table: string): string[];
  count(table: string): number;
  /** The rows of `table` (by SQL column name, integers as `bigint`), `size` at a time. */
  pages(table: string, size: number): Generator<Record<string, unknown>[]>;
  /** Rows `columns` of `table` with any of them not null, by id, `size` at a time. */
  pagesWithAny(
    table: string,
    columns: readonly string[],
    size: number,
  ): Generator<Record<string, unknown>[]>;
  /** Ends the read transaction; true when another connection wrote to the file since it began. */
  endAndCheckChanged(): boolean;
  close(): void;
}

export type SourceResult =
  | { ok: true; source: SqliteSource }
  | { ok: false; code: 'not_okta_connect' | 'schema_older' | 'schema_newer'; message: string };

const MIGRATIONS_TABLE = '__drizzle_migrations';
const ROWID = '__migrate_store_rowid';

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Opens `path` (which must exist) and checks that its schema is exactly this build's. */
export function openSqliteSource(path: string): SourceResult {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  try {
    sqlite.defaultSafeIntegers(true);
    sqlite.exec('BEGIN');
    const hasJournal = sqlite
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
      .get(MIGRATIONS_TABLE);
    if (!hasJournal) {
      sqlite.close();
      return {
        ok: false,
        code: 'not_okta_connect',
        message: `${path} is not an okta-connect database: it has no ${MIGRATIONS_TABLE} table.`,
      };
    }
    const schema = checkSchema(path, sqlite);
    if (schema) {
      sqlite.close();
      return schema;
    }
    // Read once the snapshot is taken (the checks above began it): later writes by others
    // are then seen by `endAndCheckChanged`, and none of them by the copy.
    const dataVersion = sqlite.pragma('data_version', { simple: true });
    return { ok: true, source: sourceOver(path, sqlite, dataVersion) };
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

function checkSchema(path: string, sqlite: Database.Database): SourceResult | null {
  const applied = (
    sqlite.prepare(`SELECT created_at AS at FROM ${MIGRATIONS_TABLE}`).all() as {
      at: bigint | null;
    }[]
  ).map((row) => Number(row.at ?? 0));
  const known = newestKnownMigration('sqlite');
  const newer = applied.filter((when) => when > known.when).length;
  if (newer > 0) {
    return {
      ok: false,
      code: 'schema_newer',
      message:
        `${path} has ${newer} migration(s) newer than this version of okta-connect knows: a newer ` +
        'version of the bot has run on it. Run migrate-store from that newer version.',
    };
  }
  if (applied.length < known.count || Math.max(0, ...applied) < known.when) {
    return {
      ok: false,
      code: 'schema_older',
      message:
        `${path} was last migrated by an older version of okta-connect (${applied.length} of ` +
        `${known.count} migrations). Start this version of the bot on it once (without DATABASE_URL), ` +
        'so that it brings the file up to date, stop it, then run migrate-store again.',
    };
  }
  return null;
}

function sourceOver(path: string, sqlite: Database.Database, dataVersion: unknown): SqliteSource {
  let ended = false;
  return {
    path,
    tables() {
      return (
        sqlite
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name != ? ORDER BY name",
          )
          .all(MIGRATIONS_TABLE) as { name: string }[]
      ).map((row) => row.name);
    },
    columns(table) {
      return (sqlite.pragma(`table_info(${quote(table)})`) as { name: string }[]).map(
        (column) => column.name,
      );
    },
    count(table) {
      const row = sqlite.prepare(`SELECT count(*) AS n FROM ${quote(table)}`).get() as {
        n: bigint;
      };
      return Number(row.n);
    },
    pages(table, size) {
      return byRowid(sqlite, table, '*', '', size);
    },
    pagesWithAny(table, columns, size) {
      const any = columns.map((column) => `${quote(column)} IS NOT NULL`).join(' OR ');
      return byRowid(sqlite, table, `id, ${columns.map(quote).join(', ')}`, `AND (${any})`, size);
    },
    endAndCheckChanged() {
      if (!ended) {
        ended = true;
        sqlite.exec('COMMIT');
      }
      return sqlite.pragma('data_version', { simple: true }) !== dataVersion;
    },
    close() {
      if (sqlite.open) sqlite.close();
    },
  };
}

/**
 * `select` of `table`'s rows that pass `where`, by rowid (every table drizzle makes for
 * SQLite has one): each page is one short statement, so nothing stays open while the
 * caller writes the page elsewhere.
 */
function* byRowid(
  sqlite: Database.Database,
  table: string,
  select: string,
  where: string,
  size: number,
): Generator<Record<string, unknown>[]> {
  const page = sqlite.prepare(
    `SELECT rowid AS ${ROWID}, ${select} FROM ${quote(table)} WHERE rowid > ? ${where} ORDER BY rowid LIMIT ?`,
  );
  let after = -(2n ** 63n);
  for (;;) {
    const rows = page.all(after, size) as Record<string, unknown>[];
    if (rows.length === 0) return;
    after = rows.at(-1)![ROWID] as bigint;
    for (const row of rows) delete row[ROWID];
    yield rows;
    if (rows.length < size) return;
  }
}
