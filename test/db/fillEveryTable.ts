import { type Column, getTableColumns, getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { KeyRing } from '../../src/crypto.ts';
import { DERIVED_TABLES } from '../../src/db/copyPlan.ts';
import type { DatabaseHandle } from '../../src/db/openDatabase.ts';
import { SEALED_COLUMNS } from '../../src/db/rotateKeys.ts';
import * as pgSchema from '../../src/db/schema.pg.ts';
import * as sqliteSchema from '../../src/db/schema.ts';
import { sealColumn } from '../../src/db/sealedColumns.ts';

/**
 * `rows` rows in every table that schema.ts declares, whatever tables it has by then, each
 * column given values from the schema alone: edge values of each type (0, 2^31 - 1, 2^52,
 * booleans both ways, text with quotes, newlines and emoji, nulls where allowed), foreign
 * keys pointing at rows of the parent, sealed columns really sealed with `ring`.
 * A table added later is filled without changing this file, so the copy of it is tested.
 * Derived tables (DERIVED_TABLES) are left to the triggers that keep them.
 */
export async function fillEveryTable(handle: DatabaseHandle, ring: KeyRing, rows: number) {
  // A derived table (connection_counts) is filled by its triggers from the others.
  const tables = (Object.values(sqliteSchema) as unknown[]).filter(
    (value): value is SQLiteTable =>
      is(value, SQLiteTable) && !(getTableName(value) in DERIVED_TABLES),
  );
  const made = new Map<string, Record<string, unknown>[]>();
  while (made.size < tables.length) {
    const before = made.size;
    for (const table of tables) {
      const name = getTableName(table);
      const config = getTableConfig(table);
      const parents = config.foreignKeys.map((key) => key.reference());
      if (made.has(name) || !parents.every((ref) => made.has(getTableName(ref.foreignTable)))) {
        continue;
      }
      const built: Record<string, unknown>[] = [];
      for (let i = 0; i < rows; i += 1) {
        const row: Record<string, unknown> = {};
        for (const [property, column] of Object.entries(getTableColumns(table))) {
          row[property] = valueFor(name, column, i);
        }
        // Foreign keys: the nth key takes parent rows in a different order from the others,
        // so composite keys stay unique.
        parents.forEach((ref, n) => {
          const parentRows = made.get(getTableName(ref.foreignTable))!;
          const parent = parentRows[Math.floor(i / parentRows.length ** n) % parentRows.length]!;
          ref.columns.forEach((column, c) => {
            row[propertyOf(table, column.name)] =
              parent[propertyOf(ref.foreignTable, ref.foreignColumns[c]!.name)];
          });
        });
        for (const column of SEALED_COLUMNS[name as keyof typeof SEALED_COLUMNS] ?? []) {
          const property = propertyOf(table, column);
          if (row[property] !== null) {
            row[property] = sealColumn(
              ring,
              name,
              column,
              String(row.id),
              `secret ${name}.${column} ${i}`,
            );
          }
        }
        built.push(row);
      }
      await handle.db.insert(table).values(built as never);
      made.set(name, built);
    }
    if (made.size === before) throw new Error('fillEveryTable: foreign keys form a cycle');
  }
  return made;
}

const pgColumns = new Map(
  (Object.values(pgSchema) as unknown[])
    .filter((value): value is PgTable => is(value, PgTable))
    .flatMap((table) =>
      Object.values(getTableColumns(table) as Record<string, Column>).map(
        (column) => [`${getTableName(column.table)}.${column.name}`, column] as const,
      ),
    ),
);

function valueFor(table: string, column: Column, i: number): unknown {
  if (!column.notNull && i % 4 === 3) return null;
  const pgType = pgColumns.get(`${table}.${column.name}`)?.columnType;
  switch (column.dataType) {
    case 'boolean':
      return i % 2 === 0;
    // Different in every row, in case a column is unique; the largest each column takes.
    case 'number':
      if (pgType === 'PgInteger') return [i, 2 ** 31 - 1 - i, 1000 + i][i % 3];
      if (column.primary) return 2 ** 40 + i * 3;
      return [i, 1_700_000_000_000 + i, 2 ** 52 + i][i % 3];
    case 'string': {
      if (column.enumValues?.length) return column.enumValues[i % column.enumValues.length];
      return `${column.name} ${i} 'quoted' "double" \\ back\nnew line é 日本 😀`;
    }
    default:
      throw new Error(`fillEveryTable: teach it ${column.columnType} (${table}.${column.name})`);
  }
}

/** The property drizzle takes the column of SQL name `name` under. */
function propertyOf(table: SQLiteTable, name: string): string {
  const entry = Object.entries(getTableColumns(table)).find(
    ([, candidate]) => candidate.name === name,
  );
  if (!entry) throw new Error(`no column ${name}`);
  return entry[0];
}
