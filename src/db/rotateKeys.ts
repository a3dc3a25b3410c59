import type Database from 'better-sqlite3';
import { type KeyRing, needsReseal } from '../crypto.ts';
import { isBotError } from '../errors.ts';
import { AUTH_REQUEST_SECRET_COLUMNS } from './authRequestsRepo.ts';
import { CONNECTION_SECRET_COLUMNS } from './connectionModel.ts';
import type { DatabaseHandle } from './openDatabase.ts';
import { openColumn, sealColumn } from './sealedColumns.ts';

/**
 * Re-sealing every stored secret with the ring's current key (`npm run rotate-key`), so
 * that the previous keys can then be dropped from `ENCRYPTION_KEY_PREVIOUS`.
 *
 * Safe to interrupt and to run again: each row is re-sealed in its own IMMEDIATE
 * transaction, so a kill leaves every value sealed with either the old or the new key,
 * both of which the ring opens; values already sealed with the current key are skipped.
 * The write lock is taken before the row is read, so a bot writing the same row (a
 * refresh saving a rotated token) is never overwritten with an older value.
 */

/**
 * Every sealed column, by table, from the repositories' own maps; a test checks them
 * against what is really sealed in a database.
 */
export const SEALED_COLUMNS: { readonly [T in SealedTable]: readonly string[] } = {
  connections: Object.values(CONNECTION_SECRET_COLUMNS),
  auth_requests: Object.values(AUTH_REQUEST_SECRET_COLUMNS),
};

export type SealedTable = 'connections' | 'auth_requests';

export interface TableTally {
  /** Values re-sealed with the current key by this run. */
  resealed: number;
  /** Values that were already sealed with the current key. */
  skipped: number;
}

export interface RotationProgress {
  table: SealedTable;
  rowId: string;
  /** Rows re-sealed so far in this run, across tables. */
  rowsResealed: number;
}

export interface RotateOptions {
  /** Called after each row is re-sealed and committed. Never given a secret. */
  onProgress?: (progress: RotationProgress) => void;
  /** Stop after this many rows were re-sealed (the result says `complete: false`). */
  stopAfterRows?: number;
}

export type RotationResult =
  | {
      ok: true;
      /** false when `stopAfterRows` ended the run early. */
      complete: boolean;
      currentKeyId: string;
      rowsResealed: number;
      tables: Record<SealedTable, TableTally>;
      /**
       * Values still sealed with another key after the run: those left by an early stop,
       * or written meanwhile by a process still sealing with an old key.
       */
      remaining: number;
    }
  | {
      ok: false;
      /** `key_unknown` when some key is missing, else `seal_invalid`. Nothing was changed. */
      code: 'key_unknown' | 'seal_invalid';
      /** Key ids (never keys) that seal values the ring cannot open, with how many. */
      unknownKeys: { keyId: string; values: number }[];
      /** `table.column:rowId` of values that are malformed or fail to open. */
      unreadable: string[];
    };

/** Rows read per page; each row is still written in its own transaction. */
const PAGE_ROWS = 100;

type SealedRow = { id: string } & Record<string, string | null>;

export function rotateKeys(
  database: Pick<DatabaseHandle, 'sqlite'>,
  ring: KeyRing,
  options: RotateOptions = {},
): RotationResult {
  const { sqlite } = database;
  const problems = survey(sqlite, ring);
  if (problems.unknownKeys.length > 0 || problems.unreadable.length > 0) {
    const code = problems.unknownKeys.length > 0 ? 'key_unknown' : 'seal_invalid';
    return { ok: false, code, ...problems };
  }

  // Overwrite the old sealed bytes in freed space rather than leave them in the file:
  // a rotation is often done because the old key may have leaked.
  sqlite.pragma('secure_delete = ON');
  const tables = {
    connections: { resealed: 0, skipped: 0 },
    auth_requests: { resealed: 0, skipped: 0 },
  };
  let rowsResealed = 0;
  let stopped = false;
  const stopAt = options.stopAfterRows ?? Number.POSITIVE_INFINITY;

  scan: for (const table of tableNames()) {
    const reseal = resealRow(sqlite, ring, table);
    for (const row of pagesOf(sqlite, table)) {
      const stale = SEALED_COLUMNS[table].some((column) => {
        const sealed = row[column];
        return sealed !== null && sealed !== undefined && needsReseal(ring, sealed);
      });
      if (!stale) {
        tables[table].skipped += sealedCount(table, row);
        continue;
      }
      if (rowsResealed >= stopAt) {
        stopped = true;
        break scan;
      }
      const tally = reseal.immediate(row.id);
      tables[table].resealed += tally.resealed;
      tables[table].skipped += tally.skipped;
      if (tally.resealed > 0) {
        rowsResealed += 1;
        options.onProgress?.({ table, rowId: row.id, rowsResealed });
      }
    }
  }

  const remaining = countStale(sqlite, ring);
  const complete = !stopped;
  // Moves the re-sealed pages into the database file and empties the WAL, which still
  // holds the old values' pages. Another process reading at this moment keeps part of it;
  // that only delays the cleanup to the next checkpoint.
  if (complete) sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return { ok: true, complete, currentKeyId: ring.currentKeyId, rowsResealed, tables, remaining };
}

function tableNames(): SealedTable[] {
  return Object.keys(SEALED_COLUMNS) as SealedTable[];
}

function sealedCount(table: SealedTable, row: SealedRow): number {
  return SEALED_COLUMNS[table].filter((column) => row[column] !== null).length;
}

/** Rows with at least one sealed value, by id, a page at a time (no statement stays open across writes). */
function* pagesOf(sqlite: Database.Database, table: SealedTable): Generator<SealedRow> {
  const columns = SEALED_COLUMNS[table];
  const page = sqlite.prepare(
    `SELECT id, ${columns.join(', ')} FROM ${table}
     WHERE id > ? AND (${columns.map((column) => `${column} IS NOT NULL`).join(' OR ')})
     ORDER BY id LIMIT ${PAGE_ROWS}`,
  );
  let after = '';
  for (;;) {
    const rows = page.all(after) as SealedRow[];
    yield* rows;
    const last = rows.at(-1);
    if (!last || rows.length < PAGE_ROWS) return;
    after = last.id;
  }
}

/**
 * One row, read again under the write lock (the page may be stale by now), each value
 * opened and sealed again with the same `table.column:id` binding.
 */
function resealRow(sqlite: Database.Database, ring: KeyRing, table: SealedTable) {
  const columns = SEALED_COLUMNS[table];
  const read = sqlite.prepare(`SELECT id, ${columns.join(', ')} FROM ${table} WHERE id = ?`);
  const writes = new Map(
    columns.map((column) => [
      column,
      sqlite.prepare(`UPDATE ${table} SET ${column} = ? WHERE id = ?`),
    ]),
  );
  return sqlite.transaction((id: string): TableTally => {
    const tally = { resealed: 0, skipped: 0 };
    const row = read.get(id) as SealedRow | undefined;
    if (!row) return tally; // deleted since the page was read
    for (const column of columns) {
      const sealed = row[column] ?? null;
      if (sealed === null) continue;
      if (!needsReseal(ring, sealed)) {
        tally.skipped += 1;
        continue;
      }
      const plain = openColumn(ring, table, column, id, sealed)!;
      writes.get(column)!.run(sealColumn(ring, table, column, id, plain), id);
      tally.resealed += 1;
    }
    return tally;
  });
}

/**
 * Every value is checked before anything is written, and those that need re-sealing are
 * opened, so that a missing key or an altered value stops the run while the database is
 * still untouched rather than half way through.
 */
function survey(sqlite: Database.Database, ring: KeyRing) {
  const unknown = new Map<string, number>();
  const unreadable: string[] = [];
  for (const [table, column, id, sealed] of sealedValues(sqlite)) {
    try {
      if (needsReseal(ring, sealed)) openColumn(ring, table, column, id, sealed);
    } catch (error) {
      if (!isBotError(error, 'key_unknown')) {
        unreadable.push(`${table}.${column}:${id}`);
        continue;
      }
      // The sealed form is `v1.<keyId>.…` (crypto.ts); it parsed, or the error would differ.
      const keyId = sealed.split('.')[1]!;
      unknown.set(keyId, (unknown.get(keyId) ?? 0) + 1);
    }
  }
  const unknownKeys = [...unknown].map(([keyId, values]) => ({ keyId, values }));
  return { unknownKeys, unreadable };
}

function countStale(sqlite: Database.Database, ring: KeyRing): number {
  let stale = 0;
  for (const [, , , sealed] of sealedValues(sqlite)) {
    if (needsReseal(ring, sealed)) stale += 1;
  }
  return stale;
}

function* sealedValues(
  sqlite: Database.Database,
): Generator<[SealedTable, string, string, string]> {
  for (const table of tableNames()) {
    for (const column of SEALED_COLUMNS[table]) {
      const rows = sqlite
        .prepare(`SELECT id, ${column} AS sealed FROM ${table} WHERE ${column} IS NOT NULL`)
        .iterate() as IterableIterator<{ id: string; sealed: string }>;
      for (const row of rows) yield [table, column, row.id, row.sealed];
    }
  }
}
