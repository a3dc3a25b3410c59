import { createHash } from 'node:crypto';
import type { CopyColumn } from './copyPlan.ts';

/**
 * One stored value from SQLite to PostgreSQL, and the checksum that proves a table arrived
 * whole. The conversion is the one the repositories see: SQLite's column decodes the
 * stored value (0/1 to a boolean, text to JSON, …) as drizzle does when the bot reads it,
 * and the result must be what the PostgreSQL column holds, which drizzle then encodes on
 * insert. Text, sealed columns included, is copied as it is: not a byte changes.
 */

export class ValueRefused extends Error {}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const INT4 = 2 ** 31;
const INT4_COLUMNS = new Set(['PgInteger', 'PgSerial']);
const INT2_COLUMNS = new Set(['PgSmallInt', 'PgSmallSerial']);

/** `raw` as better-sqlite3 returns it with safe integers on (integers are `bigint`). */
export function toPostgresValue(column: CopyColumn, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  let value: unknown = raw;
  if (typeof value === 'bigint') {
    // Only integers that a JavaScript number holds exactly: the bot reads them as numbers.
    if (value < MIN_SAFE || value > MAX_SAFE) refuse(column, 'an integer beyond 2^53');
    value = Number(value);
  }
  if (column.sqlite.columnType === 'SQLiteBoolean' && value !== 0 && value !== 1) {
    refuse(column, `${describe(value)} where 0 or 1 is expected`);
  }
  value = column.sqlite.mapFromDriverValue(value);
  return fitTo(column, value);
}

function fitTo(column: CopyColumn, value: unknown): unknown {
  const { pg } = column;
  switch (pg.dataType) {
    case 'string':
      if (typeof value !== 'string') refuse(column, describe(value));
      // SQLite text may hold U+0000; PostgreSQL text cannot.
      if (value.includes('\u0000')) refuse(column, 'text with a NUL character');
      return value;
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) refuse(column, describe(value));
      const whole = pg.columnType !== 'PgReal' && pg.columnType !== 'PgDoublePrecision';
      if (whole && !Number.isSafeInteger(value)) refuse(column, 'a number with a fraction');
      if (INT4_COLUMNS.has(pg.columnType) && (value < -INT4 || value >= INT4)) {
        refuse(column, 'an integer beyond 32 bits');
      }
      if (INT2_COLUMNS.has(pg.columnType) && (value < -32_768 || value > 32_767)) {
        refuse(column, 'an integer beyond 16 bits');
      }
      return value;
    }
    case 'boolean':
      if (typeof value !== 'boolean') refuse(column, describe(value));
      return value;
    case 'date':
      if (typeof value === 'number') value = new Date(value);
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
        refuse(column, describe(value));
      }
      return value;
    case 'json':
      // A JSON column in PostgreSQL whose SQLite twin is plain text.
      if (typeof value === 'string' && column.sqlite.dataType === 'string') {
        try {
          return JSON.parse(value);
        } catch {
          refuse(column, 'text that is not JSON');
        }
      }
      return value;
    case 'buffer':
      if (!Buffer.isBuffer(value)) refuse(column, describe(value));
      return value;
    case 'bigint':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
      if (typeof value !== 'bigint') refuse(column, describe(value));
      return value;
    default:
      throw new Error(
        `migrate-store does not know how to copy ${column.pg.columnType} (${column.name}): teach src/db/copyValues.ts`,
      );
  }
}

function describe(value: unknown): string {
  if (value instanceof Date) return 'an invalid date';
  if (Buffer.isBuffer(value)) return 'binary data';
  return typeof value === 'number' ? 'a number' : `a ${typeof value}`;
}

/** Names the column and what was found there, never the value: it may be a secret. */
function refuse(column: CopyColumn, found: string): never {
  throw new ValueRefused(`${column.name} holds ${found}, which PostgreSQL's column cannot take`);
}

/**
 * An order-independent digest of a table's rows (the sum of each row's hash, modulo
 * 2^128): both sides are read in whatever order they come, and any changed, lost or extra
 * value, in any column, changes it.
 */
export class TableChecksum {
  #sum = 0n;
  #rows = 0;

  add(values: readonly unknown[]): void {
    const digest = createHash('sha256')
      .update(JSON.stringify(values.map(canonical)))
      .digest();
    this.#sum = (this.#sum + BigInt(`0x${digest.subarray(0, 16).toString('hex')}`)) % 2n ** 128n;
    this.#rows += 1;
  }

  get rows(): number {
    return this.#rows;
  }

  get value(): string {
    return this.#sum.toString(16).padStart(32, '0');
  }
}

/** The same text for the same value however each driver returned it. */
function canonical(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' || typeof value === 'bigint') return `n${value}`;
  if (typeof value === 'string') return `s${value}`;
  if (value instanceof Date) return `d${value.getTime()}`;
  if (value instanceof Uint8Array) return `x${Buffer.from(value).toString('hex')}`;
  return `j${stableJson(value)}`;
}

/** JSON with object keys sorted: jsonb does not keep the order they were written in. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${stableJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
