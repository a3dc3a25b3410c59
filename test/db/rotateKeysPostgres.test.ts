import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createKeyRing } from '../../src/crypto.ts';
import { rotateKeys, SEALED_COLUMNS } from '../../src/db/rotateKeys.ts';
import { openColumn } from '../../src/db/sealedColumns.ts';
import type { Store } from '../../src/db/store.ts';
import { keyIdIn, seedKeyPairConnection, seedSealedValues } from './rotationFixtures.ts';
import { createRepos, describePostgres, KEY_A, KEY_B, openTestDatabase } from './testDatabase.ts';

/** Every stored sealed value, raw, by `table.column:rowId`, read through the store. */
async function sealedIn(store: Store): Promise<Map<string, string>> {
  const snapshot = new Map<string, string>();
  for (const [table, columns] of Object.entries(SEALED_COLUMNS)) {
    for (const column of columns) {
      const rows = await store.all<{ id: string; sealed: string }>(
        sql`SELECT id, ${sql.identifier(column)} AS sealed FROM ${sql.identifier(table)} WHERE ${sql.identifier(column)} IS NOT NULL`,
      );
      for (const row of rows) snapshot.set(`${table}.${column}:${row.id}`, row.sealed);
    }
  }
  return snapshot;
}

describePostgres('rotateKeys on PostgreSQL', () => {
  it('re-seals every value, key pairs included, so that the new key alone opens them all', async () => {
    const repos = createRepos(await openTestDatabase('postgres'), createKeyRing(KEY_A));
    const plaintexts = new Map([
      ...(await seedSealedValues(repos)),
      ...(await seedKeyPairConnection(repos)),
    ]);
    const idA = createKeyRing(KEY_A).currentKeyId;
    const idB = createKeyRing(KEY_B).currentKeyId;
    expect(new Set([...(await sealedIn(repos.handle)).values()].map(keyIdIn))).toEqual(
      new Set([idA]),
    );

    const result = await rotateKeys(repos.handle, createKeyRing(KEY_B, [KEY_A]));

    expect(result).toMatchObject({ ok: true, complete: true, currentKeyId: idB, remaining: 0 });
    const after = await sealedIn(repos.handle);
    expect(new Set([...after.values()].map(keyIdIn))).toEqual(new Set([idB]));
    const newKeyOnly = createKeyRing(KEY_B);
    const opened = new Map(
      [...after].map(([place, sealed]) => {
        const [where = '', id = ''] = place.split(':');
        const [table = '', column = ''] = where.split('.');
        return [place, openColumn(newKeyOnly, table, column, id, sealed)];
      }),
    );
    expect(opened).toEqual(plaintexts);
    // A second run finds nothing left to do.
    expect(await rotateKeys(repos.handle, createKeyRing(KEY_B, [KEY_A]))).toMatchObject({
      ok: true,
      rowsResealed: 0,
    });
  });
});
