import { inspect } from 'node:util';
import { type KeyRing, open, seal } from '../crypto.ts';

/**
 * Sealed columns are bound to `<table>.<column>:<row id>` (the crypto associated data):
 * a value copied into another row or column no longer opens.
 */
export function sealColumn(
  ring: KeyRing,
  table: string,
  column: string,
  id: string,
  value: string,
) {
  return seal(ring, value, `${table}.${column}:${id}`);
}

export function openColumn(
  ring: KeyRing,
  table: string,
  column: string,
  id: string,
  sealed: string | null,
): string | null {
  return sealed === null ? null : open(ring, sealed, `${table}.${column}:${id}`);
}

/** Opened secrets, by name; `null` when the column is empty. */
export type Secrets<N extends string> = { readonly [K in N]: string | null };

const REDACTED = '[redacted]';

/**
 * Wraps opened secrets so that they can be read by name (`secrets.accessToken`,
 * destructuring) but never leak by accident: the values are not enumerable, so
 * `JSON.stringify`, spreading, `Object.entries` and loggers do not see them, and `toJSON`
 * and `util.inspect` print the names only.
 */
export function secretBag<N extends string>(values: ReadonlyMap<N, string | null>): Secrets<N> {
  const bag: Record<string | symbol, unknown> = {};
  const names = [...values.keys()];
  for (const [name, value] of values) {
    Object.defineProperty(bag, name, { value, enumerable: false });
  }
  const shown = () => Object.fromEntries(names.map((name) => [name, REDACTED]));
  Object.defineProperty(bag, 'toJSON', { value: shown, enumerable: false });
  Object.defineProperty(bag, inspect.custom, { value: shown, enumerable: false });
  return Object.freeze(bag) as Secrets<N>;
}

/** The secrets `names` of one row of `table`, each opened from its column, in a bag. */
export function openRowSecrets<N extends string>(
  ring: KeyRing,
  table: string,
  columns: { readonly [K in N]: string },
  row: { readonly id: string } & { readonly [K in N]: string | null },
  names: readonly N[],
): Secrets<N> {
  const values = new Map<N, string | null>();
  for (const name of names) {
    values.set(name, openColumn(ring, table, columns[name], row.id, row[name]));
  }
  return secretBag(values);
}
