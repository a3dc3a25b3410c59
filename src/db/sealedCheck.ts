import type { KeyRing } from '../crypto.ts';
import { isBotError } from '../errors.ts';
import { SEALED_COLUMNS, type SealedTable } from './rotateKeys.ts';
import { openColumn } from './sealedColumns.ts';
import type { SqliteSource } from './sqliteSource.ts';

/**
 * Before `npm run migrate-store` copies anything: does every sealed value of the SQLite
 * install open with the keys it was given? The values are copied as they are, so the
 * bot on PostgreSQL will need exactly these keys; a value that does not open here would
 * not open there either, and the operator learns it now, with nothing written yet. The
 * opened secrets are dropped at once; only counts and key ids come out.
 */
export interface SealedSurvey {
  /** Sealed values that open, by table. */
  opened: Record<string, number>;
  /** Key ids (never keys) of values that no given key opens, with how many. */
  unknownKeys: { keyId: string; values: number }[];
  /** `table.column:rowId` of values that are malformed or fail to open. */
  unreadable: string[];
}

const PAGE_ROWS = 1_000;

export function surveySealedValues(source: SqliteSource, ring: KeyRing): SealedSurvey {
  const opened: Record<string, number> = {};
  const unknown = new Map<string, number>();
  const unreadable: string[] = [];
  for (const [table, columns] of Object.entries(SEALED_COLUMNS) as [
    SealedTable,
    readonly string[],
  ][]) {
    opened[table] = 0;
    for (const rows of source.pagesWithAny(table, columns, PAGE_ROWS)) {
      for (const row of rows) {
        const id = String(row.id);
        for (const column of columns) {
          const sealed = row[column];
          if (sealed === null || sealed === undefined) continue;
          try {
            openColumn(ring, table, column, id, String(sealed));
            opened[table] += 1;
          } catch (error) {
            if (!isBotError(error, 'key_unknown')) {
              unreadable.push(`${table}.${column}:${id}`);
              continue;
            }
            // `v1.<keyId>.…` (crypto.ts): it parsed, or the error would be seal_invalid.
            const keyId = String(sealed).split('.')[1] ?? '';
            unknown.set(keyId, (unknown.get(keyId) ?? 0) + 1);
          }
        }
      }
    }
  }
  return {
    opened,
    unknownKeys: [...unknown].map(([keyId, values]) => ({ keyId, values })),
    unreadable,
  };
}
