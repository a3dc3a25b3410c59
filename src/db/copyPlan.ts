import { type Column, getTableColumns, getTableName, is } from 'drizzle-orm';
import { PgTable, getTableConfig as pgTableConfig } from 'drizzle-orm/pg-core';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as pgSchema from './schema.pg.ts';
import * as sqliteSchema from './schema.ts';

/**
 * What `npm run migrate-store` copies, taken from the two schema modules rather than from a
 * list of its own: every table either module declares, each column paired with its twin by
 * SQL name, in foreign-key order (a row's parent is copied before it). A table added to the
 * schema later is copied without changing the command.
 */

export interface CopyColumn {
  /** SQL name, the same in both dialects (test/db/schemasMatch.test.ts). */
  name: string;
  /** The property drizzle's PostgreSQL insert takes the value under. */
  property: string;
  sqlite: Column;
  pg: Column;
}

export interface CopyTable {
  name: string;
  pg: PgTable;
  columns: CopyColumn[];
  /** Not copied: the target's triggers build it from the copied rows (see DERIVED_TABLES). */
  derived?: DerivedTable;
}

export interface DerivedTable {
  /** The rows the table must hold once the copy is done, as PostgreSQL computes them from the copied tables; its columns named as the table's. */
  expected: string;
  /** Which of the table's rows count (a counter left at 0 says nothing). */
  kept: string;
}

/**
 * Tables that triggers keep from other tables. Inserting the copied rows already fills
 * them on PostgreSQL, so copying them too would count twice; the copy checks instead
 * that they equal what they are derived from.
 */
export const DERIVED_TABLES: Readonly<Record<string, DerivedTable>> = {
  connection_counts: {
    expected: `SELECT team_id, status, coalesce(attention_code, '') AS attention_code, count(*)::integer AS n
      FROM connections GROUP BY team_id, status, coalesce(attention_code, '')`,
    kept: 'n <> 0',
  },
};

function tablesIn<T extends typeof PgTable | typeof SQLiteTable>(
  module: Record<string, unknown>,
  kind: T,
): Map<string, InstanceType<T>> {
  const tables = new Map<string, InstanceType<T>>();
  for (const value of Object.values(module)) {
    if (is(value, kind)) tables.set(getTableName(value), value as InstanceType<T>);
  }
  return tables;
}

/** Throws (a bug, not an operator's mistake) when the two schema modules do not pair up. */
export function copyPlan(): CopyTable[] {
  const pgTables = tablesIn(pgSchema, PgTable);
  const sqliteTables = tablesIn(sqliteSchema, SQLiteTable);
  const unpaired = [
    ...[...pgTables.keys()].filter((name) => !sqliteTables.has(name)),
    ...[...sqliteTables.keys()].filter((name) => !pgTables.has(name)),
  ];
  if (unpaired.length > 0) {
    throw new Error(`schema.ts and schema.pg.ts differ: tables ${unpaired.join(', ')}`);
  }
  const tables = [...pgTables].map(([name, pg]) => {
    const sqliteColumns = new Map(
      Object.values(getTableColumns(sqliteTables.get(name)!)).map((c) => [c.name, c]),
    );
    const columns = Object.entries(getTableColumns(pg)).map(([property, column]) => {
      const twin = sqliteColumns.get(column.name);
      if (!twin) throw new Error(`schema.ts has no column ${name}.${column.name}`);
      sqliteColumns.delete(column.name);
      return { name: column.name, property, sqlite: twin, pg: column };
    });
    if (sqliteColumns.size > 0) {
      throw new Error(`schema.pg.ts has no column ${name}.${[...sqliteColumns.keys()].join(', ')}`);
    }
    const derived = DERIVED_TABLES[name];
    return { name, pg, columns, ...(derived ? { derived } : {}) };
  });
  return foreignKeyOrder(tables);
}

/** Parents first; tables that do not depend on each other keep their schema order. */
function foreignKeyOrder(tables: CopyTable[]): CopyTable[] {
  const parents = new Map(
    tables.map((table) => [
      table.name,
      pgTableConfig(table.pg).foreignKeys.map((key) => getTableName(key.reference().foreignTable)),
    ]),
  );
  const selfReferencing = tables.filter((table) => parents.get(table.name)!.includes(table.name));
  if (selfReferencing.length > 0) {
    // Rows would have to be ordered parent first inside the table; no table needs it yet.
    throw new Error(
      `migrate-store cannot order the rows of ${selfReferencing.map((t) => t.name).join(', ')}: a foreign key to its own table`,
    );
  }
  const ordered: CopyTable[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter(
      (table) =>
        !placed.has(table.name) && parents.get(table.name)!.every((parent) => placed.has(parent)),
    );
    if (ready.length === 0) {
      const left = tables.filter((table) => !placed.has(table.name)).map((table) => table.name);
      throw new Error(`foreign keys form a cycle between ${left.join(', ')}`);
    }
    for (const table of ready) {
      ordered.push(table);
      placed.add(table.name);
    }
  }
  return ordered;
}
