import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { openSqliteTestDatabase, SQLITE_KINDS, tempDir } from './testDatabase.ts';

const migrationCount = (
  JSON.parse(
    readFileSync(new URL('../../drizzle/meta/_journal.json', import.meta.url), 'utf8'),
  ) as {
    entries: unknown[];
  }
).entries.length;

describe.each(SQLITE_KINDS)('openDatabase (%s)', (kind) => {
  it('applies every committed migration to a new database', () => {
    const handle = openSqliteTestDatabase(kind);
    const tables = handle.sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(handle.migrationsApplied).toBe(migrationCount);
    expect(tables).toEqual(
      expect.arrayContaining(['audit_events', 'auth_requests', 'connections']),
    );
  });

  it('turns on foreign keys, a busy timeout and NORMAL synchronous mode', () => {
    const { sqlite } = openSqliteTestDatabase(kind);
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('reports its health for /healthz', async () => {
    const handle = openSqliteTestDatabase(kind);
    expect(await handle.status()).toEqual({
      ok: true,
      dialect: 'sqlite',
      journalMode: kind === 'file' ? 'wal' : 'memory',
      migrations: migrationCount,
    });
    await handle.close();
    expect((await handle.status()).ok).toBe(false);
  });
});

describe('openDatabase on a file', () => {
  it('uses WAL journaling', () => {
    const { sqlite } = openSqliteTestDatabase('file');
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('creates the parent folders of the file', () => {
    const path = join(tempDir(), 'nested', 'deeper', 'okta-connect.sqlite');
    openSqliteTestDatabase('file', path);
    expect(existsSync(path)).toBe(true);
  });

  it('applies nothing and keeps the data when reopened', async () => {
    const path = join(tempDir(), 'reopen.sqlite');
    const first = openSqliteTestDatabase('file', path);
    first.sqlite
      .prepare(
        "INSERT INTO audit_events (team_id, actor, action, details, at) VALUES ('T1', 'system', 'kept', '{}', 1)",
      )
      .run();
    await first.close();

    const second = openSqliteTestDatabase('file', path);
    expect(second.migrationsApplied).toBe(0);
    expect((await second.status()).migrations).toBe(migrationCount);
    expect(second.sqlite.prepare('SELECT action FROM audit_events').pluck().get()).toBe('kept');
  });

  it('finds its migrations whatever the working folder', () => {
    const previous = process.cwd();
    const elsewhere = tempDir();
    process.chdir(elsewhere);
    try {
      const handle = openDatabase(':memory:');
      expect(handle.migrationsApplied).toBe(migrationCount);
      handle.sqlite.close();
    } finally {
      process.chdir(previous);
    }
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});
