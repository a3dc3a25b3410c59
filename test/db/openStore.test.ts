import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/openStore.ts';
import { describePostgres, emptyPostgresDatabase, tempDir } from './testDatabase.ts';

/**
 * openStore picks the store the configuration names; PostgreSQL's modules are loaded only
 * when `DATABASE_URL` is set (a SQLite bot does not hold them in memory).
 */
describe('openStore', () => {
  it('opens the SQLite file when no DATABASE_URL is set', async () => {
    const path = join(tempDir(), 'bot.sqlite');
    const store = await openStore({ databasePath: path, databaseUrl: null });
    try {
      expect(await store.status()).toMatchObject({ ok: true, dialect: 'sqlite' });
      expect(existsSync(path)).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describePostgres('openStore on PostgreSQL', () => {
  it('opens and migrates PostgreSQL when DATABASE_URL is set, and writes no SQLite file', async () => {
    const path = join(tempDir(), 'never.sqlite');
    const store = await openStore({
      databasePath: path,
      databaseUrl: await emptyPostgresDatabase(),
    });
    try {
      expect(await store.status()).toMatchObject({ ok: true, dialect: 'postgres' });
      expect(existsSync(path)).toBe(false);
    } finally {
      await store.close();
    }
  });
});
