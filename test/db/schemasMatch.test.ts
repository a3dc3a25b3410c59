import { readFileSync } from 'node:fs';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { getTableName, is } from 'drizzle-orm';
import { PgTable, getTableConfig as pgTableConfig } from 'drizzle-orm/pg-core';
import { SQLiteTable, getTableConfig as sqliteTableConfig } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as pgSchema from '../../src/db/schema.pg.ts';
import * as sqliteSchema from '../../src/db/schema.ts';

/**
 * The two stores must hold the same data: one schema file per dialect (drizzle has no
 * dialect-neutral table builder), compared here so that neither can change alone.
 * Column types differ by design (SQLite's integer is PostgreSQL's bigint or boolean);
 * names, nullability, defaults' presence, keys, unique and foreign keys, and indexes may not.
 */
type Shape = Record<string, unknown>;

function shapeOf(config: {
  name: string;
  columns: {
    name: string;
    notNull: boolean;
    primary: boolean;
    hasDefault: boolean;
    isUnique: boolean;
  }[];
  indexes: { config: { name: string; columns: unknown[]; unique: boolean; where?: unknown } }[];
  foreignKeys: {
    reference(): {
      foreignTable: unknown;
      columns: { name: string }[];
      foreignColumns: { name: string }[];
    };
    onDelete?: string;
  }[];
  primaryKeys: { columns: { name: string }[] }[];
}): Shape {
  return {
    columns: Object.fromEntries(
      config.columns
        .map(
          (c) =>
            [
              c.name,
              {
                notNull: c.notNull,
                primary: c.primary,
                hasDefault: c.hasDefault,
                unique: c.isUnique,
              },
            ] as const,
        )
        .sort(([a], [b]) => a.localeCompare(b)),
    ),
    indexes: config.indexes
      .map((index) => ({
        name: index.config.name,
        unique: index.config.unique,
        partial: index.config.where !== undefined,
        columns: index.config.columns.map((column) => (column as { name: string }).name),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    foreignKeys: config.foreignKeys
      .map((fk) => {
        const ref = fk.reference();
        return {
          columns: ref.columns.map((c) => c.name),
          table: getTableName(ref.foreignTable as PgTable),
          foreignColumns: ref.foreignColumns.map((c) => c.name),
          onDelete: fk.onDelete ?? 'no action',
        };
      })
      .sort((a, b) => a.table.localeCompare(b.table)),
    primaryKeys: config.primaryKeys.map((pk) => pk.columns.map((c) => c.name)),
  };
}

const sqliteTables = Object.values(sqliteSchema).filter((value) => is(value, SQLiteTable));
const pgTables = Object.values(pgSchema).filter((value) => is(value, PgTable));

const shapes = <T>(tables: T[], config: (table: T) => Parameters<typeof shapeOf>[0]) =>
  Object.fromEntries(tables.map((table) => [config(table).name, shapeOf(config(table))]));

describe('the SQLite and PostgreSQL schemas', () => {
  it('have the same tables', () => {
    const names = (tables: (SQLiteTable | PgTable)[]) => tables.map((t) => getTableName(t)).sort();
    expect(names(pgTables)).toEqual(names(sqliteTables));
    expect(sqliteTables.length).toBeGreaterThanOrEqual(5);
  });

  it('have the same columns, nullability, keys, unique and foreign keys and indexes in every table', () => {
    const sqlite = shapes(sqliteTables, (t) => sqliteTableConfig(t) as never);
    const pg = shapes(pgTables, (t) => pgTableConfig(t) as never);
    expect(pg).toEqual(sqlite);
  });

  it('would show a column that one dialect lacks', () => {
    const sqlite = shapes(sqliteTables, (t) => sqliteTableConfig(t) as never);
    const pg = shapes(pgTables, (t) => pgTableConfig(t) as never);
    const connections = pg.connections as { columns: Record<string, unknown> };
    const { nickname_key: _dropped, ...fewer } = connections.columns;
    expect({ ...pg, connections: { ...connections, columns: fewer } }).not.toEqual(sqlite);
  });
});

describe('committed PostgreSQL migrations', () => {
  it('match src/db/schema.pg.ts: db:generate has nothing to add', async () => {
    const folder = new URL('../../drizzle-pg/meta/', import.meta.url);
    const journal = JSON.parse(readFileSync(new URL('_journal.json', folder), 'utf8')) as {
      entries: { idx: number }[];
    };
    const last = journal.entries.at(-1);
    if (!last) throw new Error('drizzle-pg/meta/_journal.json lists no migration');
    const snapshot = JSON.parse(
      readFileSync(new URL(`${String(last.idx).padStart(4, '0')}_snapshot.json`, folder), 'utf8'),
    );
    expect(await generateMigration(snapshot, generateDrizzleJson(pgSchema))).toEqual([]);
  });
});
