import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKeyRing } from '../src/crypto.ts';
import {
  KEY_C,
  keyIdIn,
  openAll,
  sealedSnapshot,
  seedSealedValues,
} from './db/rotationFixtures.ts';
import { createRepos, KEY_A, KEY_B, openSqliteTestDatabase, tempDir } from './db/testDatabase.ts';
import { cleanEnv, runTsx } from './tsxProcess.ts';

/**
 * `npm run rotate-key` as an operator runs it (`src/rotateKey.ts`, here from source with tsx;
 * test/start.test.ts runs the compiled one): its own process, an empty working folder (no
 * `.env`), no Slack variables at all.
 */

const SCRIPT = 'src/rotateKey.ts';
const ID_B = createKeyRing(KEY_B).currentKeyId;
const ID_C = createKeyRing(KEY_C).currentKeyId;
const base64 = (key: Buffer) => key.toString('base64');

/** A bot's database file with its secrets sealed with `key`; closed, as the bot was stopped. */
async function botDatabase(key = KEY_A) {
  const path = join(tempDir(), 'okta-connect.sqlite');
  const handle = openSqliteTestDatabase('file', path);
  const plaintexts = await seedSealedValues(createRepos(handle, createKeyRing(key)));
  handle.sqlite.close();
  return { path, plaintexts };
}

function rotateKey(env: Record<string, string>) {
  return runTsx(SCRIPT, { cwd: tempDir(), env: cleanEnv(env) });
}

function snapshotOf(path: string) {
  const handle = openSqliteTestDatabase('file', path);
  try {
    return sealedSnapshot(handle.sqlite);
  } finally {
    handle.sqlite.close();
  }
}

describe('npm run rotate-key', () => {
  it('re-seals every secret with ENCRYPTION_KEY, prints a summary without secrets, and exits 0', async () => {
    const { path, plaintexts } = await botDatabase();

    const run = await rotateKey({
      DATABASE_PATH: path,
      ENCRYPTION_KEY: base64(KEY_B),
      ENCRYPTION_KEY_PREVIOUS: base64(KEY_A),
    });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('connections: 9 values re-sealed, 0 already sealed');
    expect(run.stdout).toContain('auth_requests: 4 values re-sealed, 0 already sealed');
    expect(run.stdout).toContain(`Done: every sealed value now uses key ${ID_B}`);
    expect(run.stdout).toContain('ENCRYPTION_KEY_PREVIOUS is no longer needed');
    for (const secret of [...plaintexts.values(), base64(KEY_A), base64(KEY_B), 'v1.']) {
      expect(run.stdout).not.toContain(secret);
    }

    const handle = openSqliteTestDatabase('file', path);
    expect(openAll(handle.sqlite, createKeyRing(KEY_B))).toEqual(plaintexts);
  });

  it('re-seals nothing on a second run', async () => {
    const { path } = await botDatabase();
    const env = {
      DATABASE_PATH: path,
      ENCRYPTION_KEY: base64(KEY_B),
      ENCRYPTION_KEY_PREVIOUS: base64(KEY_A),
    };
    expect((await rotateKey(env)).code).toBe(0);
    const afterFirst = snapshotOf(path);

    const second = await rotateKey(env);

    expect(second.code).toBe(0);
    expect(second.stdout).toContain('connections: 0 values re-sealed, 9 already sealed');
    expect(second.stdout).toContain('auth_requests: 0 values re-sealed, 4 already sealed');
    expect(snapshotOf(path)).toEqual(afterFirst);
  });

  it('refuses, naming the key id and changing nothing, when a value is sealed with a key it was not given', async () => {
    const { path } = await botDatabase(KEY_C);
    const before = snapshotOf(path);

    const run = await rotateKey({
      DATABASE_PATH: path,
      ENCRYPTION_KEY: base64(KEY_B),
      ENCRYPTION_KEY_PREVIOUS: base64(KEY_A),
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Nothing was changed');
    expect(run.stderr).toContain(`13 values sealed with key ${ID_C}, which is not configured`);
    expect(run.stderr).toContain('README.md');
    expect(run.stderr).not.toContain(base64(KEY_C));
    expect(snapshotOf(path)).toEqual(before);
    expect([...before.values()].every((sealed) => keyIdIn(sealed) === ID_C)).toBe(true);
  });

  it('needs no Slack variable, but refuses to run without ENCRYPTION_KEY and never makes a key file', async () => {
    const { path } = await botDatabase();
    const before = snapshotOf(path);

    const run = await rotateKey({ DATABASE_PATH: path, ENCRYPTION_KEY_PREVIOUS: base64(KEY_A) });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ENCRYPTION_KEY: missing');
    expect(run.stderr).toContain('openssl rand -base64 32');
    expect(run.stderr).not.toContain('SLACK_');
    expect(run.stderr).not.toContain(base64(KEY_A));
    expect(readdirSync(join(path, '..')).filter((name) => name.endsWith('.key'))).toEqual([]);
    expect(snapshotOf(path)).toEqual(before);
  });

  it('refuses to run on a database file that does not exist, rather than create one', async () => {
    const path = join(tempDir(), 'typo', 'okta-connect.sqlite');

    const run = await rotateKey({ DATABASE_PATH: path, ENCRYPTION_KEY: base64(KEY_B) });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`there is no database at ${path}`);
    expect(existsSync(join(path, '..'))).toBe(false);
  });
});
