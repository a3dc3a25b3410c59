import { type SQL, sql } from 'drizzle-orm';
import { type KeyRing, needsReseal } from '../crypto.ts';
import { isBotError } from '../errors.ts';
import { AUTH_REQUEST_SECRET_COLUMNS } from './authRequestsRepo.ts';
import { CONNECTION_SECRET_COLUMNS } from './connectionModel.ts';
import { openColumn, sealColumn } from './sealedColumns.ts';
import type { Store } from './store.ts';

/**
 * Re-sealing every stored secret with the ring's current key (`npm run rotate-key`), so
 * that the previous keys can then be dropped from `ENCRYPTION_KEY_PREVIOUS`.
 *
 * Safe to interrupt and to run again: each row is re-sealed in its own transaction, so a
 * kill leaves every value sealed with either the old or the new key, both of which the
 * ring opens; values already sealed with the current key are skipped. The row is locked
 * before it is read (SQLite's write lock, PostgreSQL's row lock), so a bot writing the
 * same row (a refresh saving a rotated token) is never overwritten with an older value.
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

export async function rotateKeys(
  store: Store,
  ring: KeyRing,
  options: RotateOptions = {},
): Promise<RotationResult> {
  const problems = await survey(store, ring);
  if (problems.unknownKeys.length > 0 || problems.unreadable.length > 0) {
    const code = problems.unknownKeys.length > 0 ? 'key_unknown' : 'seal_invalid';
    return { ok: false, code, ...problems };
  }

  // Overwrite the old sealed bytes in freed space rather than leave them in the file:
  // a rotation is often done because the old key may have leaked.
  if (store.dialect === 'sqlite') await store.run(sql`PRAGMA secure_delete = ON`);
  const tables = {
    connections: { resealed: 0, skipped: 0 },
    auth_requests: { resealed: 0, skipped: 0 },
  };
  let rowsResealed = 0;
  let stopped = false;
  const stopAt = options.stopAfterRows ?? Number.POSITIVE_INFINITY;

  scan: for (const table of tableNames()) {
    for await (const row of pagesOf(store, table)) {
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
      const tally = await resealRow(store, ring, table, row.id);
      tables[table].resealed += tally.resealed;
      tables[table].skipped += tally.skipped;
      if (tally.resealed > 0) {
        rowsResealed += 1;
        options.onProgress?.({ table, rowId: row.id, rowsResealed });
      }
    }
  }

  const remaining = await countStale(store, ring);
  const complete = !stopped;
  // Moves the re-sealed pages into the database file and empties the WAL, which still
  // holds the old values' pages. Another process reading at this moment keeps part of it;
  // that only delays the cleanup to the next checkpoint. (PostgreSQL's VACUUM reclaims
  // old row versions on its own schedule.)
  if (complete && store.dialect === 'sqlite') await store.run(sql`PRAGMA wal_checkpoint(TRUNCATE)`);
  return { ok: true, complete, currentKeyId: ring.currentKeyId, rowsResealed, tables, remaining };
}

function tableNames(): SealedTable[] {
  return Object.keys(SEALED_COLUMNS) as SealedTable[];
}

function sealedCount(table: SealedTable, row: SealedRow): number {
  return SEALED_COLUMNS[table].filter((column) => row[column] !== null).length;
}

const columnList = (columns: readonly string[]): SQL =>
  sql.join(
    columns.map((column) => sql.identifier(column)),
    sql`, `,
  );

/** Rows with at least one sealed value, by id, a page at a time (no statement stays open across writes). */
async function* pagesOf(store: Store, table: SealedTable): AsyncGenerator<SealedRow> {
  const columns = SEALED_COLUMNS[table];
  const anySealed = sql.join(
    columns.map((column) => sql`${sql.identifier(column)} IS NOT NULL`),
    sql` OR `,
  );
  let after = '';
  for (;;) {
    const rows = await store.all<SealedRow>(
      sql`SELECT id, ${columnList(columns)} FROM ${sql.identifier(table)}
          WHERE id > ${after} AND (${anySealed}) ORDER BY id LIMIT ${sql.raw(String(PAGE_ROWS))}`,
    );
    yield* rows;
    const last = rows.at(-1);
    if (!last || rows.length < PAGE_ROWS) return;
    after = last.id;
  }
}

/**
 * One row, locked and read again (the page may be stale by now), each value opened and
 * sealed again with the same `table.column:id` binding.
 */
function resealRow(store: Store, ring: KeyRing, table: SealedTable, id: string) {
  const columns = SEALED_COLUMNS[table];
  return store.transaction(async (): Promise<TableTally> => {
    const tally = { resealed: 0, skipped: 0 };
    await store.lockRow(table, id);
    const [row] = await store.all<SealedRow>(
      sql`SELECT id, ${columnList(columns)} FROM ${sql.identifier(table)} WHERE id = ${id}`,
    );
    if (!row) return tally; // deleted since the page was read
    for (const column of columns) {
      const sealed = row[column] ?? null;
      if (sealed === null) continue;
      if (!needsReseal(ring, sealed)) {
        tally.skipped += 1;
        continue;
      }
      const plain = openColumn(ring, table, column, id, sealed)!;
      const resealed = sealColumn(ring, table, column, id, plain);
      await store.run(
        sql`UPDATE ${sql.identifier(table)} SET ${sql.identifier(column)} = ${resealed} WHERE id = ${id}`,
      );
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
async function survey(store: Store, ring: KeyRing) {
  const unknown = new Map<string, number>();
  const unreadable: string[] = [];
  for await (const [table, column, id, sealed] of sealedValues(store)) {
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

async function countStale(store: Store, ring: KeyRing): Promise<number> {
  let stale = 0;
  for await (const [, , , sealed] of sealedValues(store)) {
    if (needsReseal(ring, sealed)) stale += 1;
  }
  return stale;
}

/** Every sealed value, a page of rows at a time, so a large store is never held in memory at once. */
async function* sealedValues(store: Store): AsyncGenerator<[SealedTable, string, string, string]> {
  for (const table of tableNames()) {
    for await (const row of pagesOf(store, table)) {
      for (const column of SEALED_COLUMNS[table]) {
        const sealed = row[column];
        if (sealed !== null && sealed !== undefined) yield [table, column, row.id, sealed];
      }
    }
  }
}
