import { type SQL, sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { type CopyTable, copyPlan } from './copyPlan.ts';
import { TableChecksum, toPostgresValue, ValueRefused } from './copyValues.ts';
import type { SqliteSource } from './sqliteSource.ts';
import type { Store } from './store.ts';

/**
 * Every row of every table of a SQLite install into an empty PostgreSQL store, in one
 * PostgreSQL transaction: it commits only once each table's row count and checksum match
 * the source's, so a failure at any point leaves the target as it was.
 */

export interface TableReport {
  table: string;
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
  /**
   * Not copied but built by the target's triggers: the source side is what the copied
   * tables say it must hold (see DERIVED_TABLES).
   */
  derived?: true;
}

export type CopyResult =
  | { ok: true; tables: TableReport[] }
  | { ok: false; code: 'target_not_empty'; tables: { table: string; rows: number }[] }
  | { ok: false; code: 'tables_differ'; missing: string[]; unknown: string[] }
  | { ok: false; code: 'columns_differ'; table: string; missing: string[]; unknown: string[] }
  | { ok: false; code: 'value_refused'; table: string; row: string; reason: string }
  | { ok: false; code: 'verify_failed'; tables: TableReport[] }
  | { ok: false; code: 'source_changed'; tables: TableReport[] };

export interface CopyOptions {
  /** Rows read and inserted at a time (fewer for a table too wide for PostgreSQL's 65,535 parameters). */
  batchRows?: number;
  /** Called after each batch, with the rows of the table copied so far. */
  onRows?: (table: string, rows: number) => void;
  /** Called after each table is copied, before the checks. */
  onTableCopied?: (table: string, rows: number) => void;
}

type Refusal = Exclude<CopyResult, { ok: true }>;

/** Thrown inside the transaction to roll it back; carries the answer out. */
class Refused extends Error {
  constructor(readonly result: Refusal) {
    super(result.code);
  }
}

const MAX_PARAMETERS = 65_535;
/** A bot still writing to the target would otherwise make the copy wait for ever. */
const LOCK_TIMEOUT = '10s';

export async function copyToPostgres(
  source: SqliteSource,
  target: Store,
  options: CopyOptions = {},
): Promise<CopyResult> {
  if (target.dialect !== 'postgres') throw new Error('the target must be a PostgreSQL store');
  const plan = copyPlan();
  const shape = checkShape(source, plan);
  if (shape) return shape;
  try {
    return await target.transaction(async () => {
      await lockEmptyTables(target, plan);
      const copied = new Map<string, TableChecksum>();
      for (const table of plan) {
        if (table.derived) continue;
        copied.set(table.name, await copyTable(source, target, table, options));
        options.onTableCopied?.(table.name, copied.get(table.name)!.rows);
      }
      await restartIdentities(target, plan);
      const tables: TableReport[] = [];
      for (const table of plan) {
        if (table.derived) {
          // Built by the target's triggers: what it holds must be what its source tables,
          // as copied, say it should.
          const expected = await checksumOf(target, table, sql.raw(table.derived.expected));
          const { kept } = table.derived;
          const targetSum = await checksumOf(
            target,
            table,
            sql`SELECT * FROM ${sql.identifier(table.name)} WHERE ${sql.raw(kept)}`,
          );
          copied.set(table.name, expected);
          tables.push({
            table: table.name,
            sourceRows: expected.rows,
            targetRows: targetSum.rows,
            sourceChecksum: expected.value,
            targetChecksum: targetSum.value,
            derived: true,
          });
          continue;
        }
        const sourceSum = copied.get(table.name)!;
        const targetSum = await checksumOf(target, table);
        tables.push({
          table: table.name,
          sourceRows: source.count(table.name),
          targetRows: targetSum.rows,
          sourceChecksum: sourceSum.value,
          targetChecksum: targetSum.value,
        });
      }
      const mismatch = tables.some(
        (t) =>
          t.sourceRows !== t.targetRows ||
          t.sourceChecksum !== t.targetChecksum ||
          copied.get(t.table)!.rows !== t.sourceRows,
      );
      if (mismatch) throw new Refused({ ok: false, code: 'verify_failed', tables });
      // Last, just before the commit: a write to the file after the snapshot was taken
      // (a bot still running on it) would be lost, so nothing is kept.
      if (source.endAndCheckChanged()) {
        throw new Refused({ ok: false, code: 'source_changed', tables });
      }
      return { ok: true as const, tables };
    });
  } catch (error) {
    if (error instanceof Refused) return error.result;
    throw error;
  }
}

/** The file's tables and columns must be the schema's: anything else would be left behind. */
function checkShape(source: SqliteSource, plan: CopyTable[]): Refusal | null {
  const inFile = new Set(source.tables());
  const planned = new Set(plan.map((table) => table.name));
  const missing = [...planned].filter((name) => !inFile.has(name));
  const unknown = [...inFile].filter((name) => !planned.has(name));
  if (missing.length > 0 || unknown.length > 0) {
    return { ok: false, code: 'tables_differ', missing, unknown };
  }
  for (const table of plan) {
    const columns = new Set(source.columns(table.name));
    const expected = new Set(table.columns.map((column) => column.name));
    const lacking = [...expected].filter((name) => !columns.has(name));
    const extra = [...columns].filter((name) => !expected.has(name));
    if (lacking.length > 0 || extra.length > 0) {
      return {
        ok: false,
        code: 'columns_differ',
        table: table.name,
        missing: lacking,
        unknown: extra,
      };
    }
  }
  return null;
}

/**
 * Locks every table against other writers until the commit (readers may still read), so
 * that the target cannot gain rows between the check that it is empty and the copy.
 */
async function lockEmptyTables(target: Store, plan: CopyTable[]): Promise<void> {
  await target.run(sql.raw(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`));
  const list = sql.join(
    plan.map((table) => sql.identifier(table.name)),
    sql`, `,
  );
  await target.run(sql`LOCK TABLE ${list} IN SHARE ROW EXCLUSIVE MODE`);
  const occupied: { table: string; rows: number }[] = [];
  for (const table of plan) {
    const [row] = await target.all<{ n: string | number }>(
      sql`SELECT count(*) AS n FROM ${sql.identifier(table.name)}`,
    );
    const rows = Number(row?.n ?? 0);
    if (rows > 0) occupied.push({ table: table.name, rows });
  }
  if (occupied.length > 0) {
    throw new Refused({ ok: false, code: 'target_not_empty', tables: occupied });
  }
}

async function copyTable(
  source: SqliteSource,
  target: Store,
  table: CopyTable,
  options: CopyOptions,
): Promise<TableChecksum> {
  const batchRows = options.batchRows ?? 1_000;
  const checksum = new TableChecksum();
  const pg = target.db as unknown as NodePgDatabase<Record<string, never>>;
  const size = Math.max(1, Math.min(batchRows, Math.floor(MAX_PARAMETERS / table.columns.length)));
  for (const rows of source.pages(table.name, size)) {
    const values = rows.map((raw) => {
      const row: Record<string, unknown> = {};
      const ordered: unknown[] = [];
      for (const column of table.columns) {
        let value: unknown;
        try {
          value = toPostgresValue(column, raw[column.name]);
        } catch (error) {
          if (!(error instanceof ValueRefused)) throw error;
          throw new Refused({
            ok: false,
            code: 'value_refused',
            table: table.name,
            row: rowKey(table, raw),
            reason: error.message,
          });
        }
        row[column.property] = value;
        ordered.push(value);
      }
      checksum.add(ordered);
      return row;
    });
    await pg.insert(table.pg).values(values);
    options.onRows?.(table.name, checksum.rows);
  }
  return checksum;
}

/** The row's primary key, to name it in a message (ids and hashes, never a secret). */
function rowKey(table: CopyTable, raw: Record<string, unknown>): string {
  const keys = table.columns.filter((column) => column.pg.primary);
  const named = keys.length > 0 ? keys : table.columns.slice(0, 1);
  return named.map((column) => `${column.name}=${String(raw[column.name])}`).join(', ');
}

/**
 * Ids copied as they are leave an identity (or serial) column's sequence at its start;
 * the next row the bot inserts would then collide with a copied one.
 */
async function restartIdentities(target: Store, plan: CopyTable[]): Promise<void> {
  for (const table of plan) {
    const columns = await target.all<{ column: string }>(sql`
      SELECT column_name AS "column" FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = ${table.name}
        AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')`);
    for (const { column } of columns) {
      const name = sql.identifier(column);
      await target.run(sql`
        SELECT setval(pg_get_serial_sequence(${table.name}, ${column}), COALESCE(MAX(${name}), 0) + 1, false)
        FROM ${sql.identifier(table.name)}`);
    }
  }
}

/**
 * The target's rows (or those `query` returns, in the table's columns) read back through a
 * cursor, a page at a time, as the bot would read them.
 */
async function checksumOf(
  target: Store,
  table: CopyTable,
  query: SQL = sql`SELECT * FROM ${sql.identifier(table.name)}`,
): Promise<TableChecksum> {
  const checksum = new TableChecksum();
  const cursor = sql.identifier('migrate_store_verify');
  await target.run(sql`DECLARE ${cursor} NO SCROLL CURSOR FOR ${query}`);
  for (;;) {
    const rows = await target.all<Record<string, unknown>>(sql`FETCH FORWARD 1000 FROM ${cursor}`);
    for (const raw of rows) {
      checksum.add(
        table.columns.map((column) => {
          const value = raw[column.name];
          return value === null || value === undefined ? null : column.pg.mapFromDriverValue(value);
        }),
      );
    }
    if (rows.length < 1000) break;
  }
  await target.run(sql`CLOSE ${cursor}`);
  return checksum;
}
