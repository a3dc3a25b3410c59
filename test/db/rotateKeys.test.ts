import { createPublicKey, sign, verify } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKeyRing } from '../../src/crypto.ts';
import { type RotationProgress, rotateKeys, SEALED_COLUMNS } from '../../src/db/rotateKeys.ts';
import { startTsx } from '../tsxProcess.ts';
import {
  KEY_C,
  keyIdIn,
  openAll,
  sealedSnapshot,
  seedKeyPairConnection,
  seedSealedValues,
} from './rotationFixtures.ts';
import {
  activeConnection,
  authorization,
  createRepos,
  KEY_A,
  KEY_B,
  openSqliteTestDatabase,
  rawConnection,
  SQLITE_KINDS,
  tempDir,
} from './testDatabase.ts';

const ID_A = createKeyRing(KEY_A).currentKeyId;
const ID_B = createKeyRing(KEY_B).currentKeyId;
const ID_C = createKeyRing(KEY_C).currentKeyId;
const rotating = () => createKeyRing(KEY_B, [KEY_A]);
const keyIdsIn = (snapshot: Map<string, string>) => new Set([...snapshot.values()].map(keyIdIn));

describe.each(SQLITE_KINDS)('rotateKeys (%s)', (kind) => {
  /** Three active connections and two authorizations in progress, all sealed with key A. */
  async function sealedWithA() {
    const handle = openSqliteTestDatabase(kind);
    const repos = createRepos(handle, createKeyRing(KEY_A));
    return { repos, sqlite: handle.sqlite, plaintexts: await seedSealedValues(repos) };
  }

  it('re-seals every value with the current key, so that the new key alone opens them all', async () => {
    const { repos, sqlite, plaintexts } = await sealedWithA();

    const result = await rotateKeys(repos.handle, rotating());

    expect(await result).toEqual({
      ok: true,
      complete: true,
      currentKeyId: ID_B,
      rowsResealed: 5,
      tables: {
        connections: { resealed: 9, skipped: 0 },
        auth_requests: { resealed: 4, skipped: 0 },
      },
      remaining: 0,
    });
    expect(keyIdsIn(sealedSnapshot(sqlite))).toEqual(new Set([ID_B]));
    expect(openAll(sqlite, createKeyRing(KEY_B))).toEqual(plaintexts);
    const firstId = [...plaintexts.keys()][0]!.split(':')[1]!;
    const withNewKeyOnly = createRepos(repos.handle, createKeyRing(KEY_B));
    expect(
      await (await withNewKeyOnly.connections.readSecrets(firstId, ['refreshToken']))?.refreshToken,
    ).toBe('plain-refresh-token-1');
  });

  it('keeps each value bound to its row and column: moved elsewhere, it still does not open', async () => {
    const { repos, sqlite } = await sealedWithA();
    await rotateKeys(repos.handle, rotating());
    const [first, second] = sqlite.prepare('SELECT id, access_token FROM connections').all() as {
      id: string;
      access_token: string | null;
    }[];
    sqlite
      .prepare('UPDATE connections SET access_token = ? WHERE id = ?')
      .run(first!.access_token, second!.id);
    const withNewKeyOnly = createRepos(repos.handle, createKeyRing(KEY_B));
    await expect(
      withNewKeyOnly.connections.readSecrets(second!.id, ['accessToken']),
    ).rejects.toThrow(expect.objectContaining({ code: 'seal_invalid' }));
  });

  it('skips values already sealed with the current key, so a second run changes nothing', async () => {
    const { repos, sqlite } = await sealedWithA();
    await rotateKeys(repos.handle, rotating());
    const afterFirst = sealedSnapshot(sqlite);

    const second = await rotateKeys(repos.handle, rotating());

    expect(await second).toMatchObject({
      ok: true,
      complete: true,
      rowsResealed: 0,
      tables: {
        connections: { resealed: 0, skipped: 9 },
        auth_requests: { resealed: 0, skipped: 4 },
      },
      remaining: 0,
    });
    expect(sealedSnapshot(sqlite)).toEqual(afterFirst);
  });

  it('stopped after some rows, leaves every value opening with the old or the new key, and a second run completes', async () => {
    const { repos, sqlite, plaintexts } = await sealedWithA();

    const stopped = await rotateKeys(repos.handle, rotating(), { stopAfterRows: 2 });

    expect(stopped).toMatchObject({ ok: true, complete: false, rowsResealed: 2 });
    expect(stopped.ok && stopped.remaining).toBeGreaterThan(0);
    expect(keyIdsIn(sealedSnapshot(sqlite))).toEqual(new Set([ID_A, ID_B]));
    expect(openAll(sqlite, rotating())).toEqual(plaintexts);

    const resumed = await rotateKeys(repos.handle, rotating());

    expect(await resumed).toMatchObject({
      ok: true,
      complete: true,
      rowsResealed: 3,
      remaining: 0,
    });
    expect(keyIdsIn(sealedSnapshot(sqlite))).toEqual(new Set([ID_B]));
    expect(openAll(sqlite, createKeyRing(KEY_B))).toEqual(plaintexts);
  });

  it('reads each row again under the write lock, so a token the bot saved meanwhile is kept', async () => {
    const { repos, sqlite } = await sealedWithA();
    const bot = createRepos(repos.handle, rotating(), repos.clock);
    const connectionIds = (
      sqlite
        .prepare('SELECT id FROM connections WHERE access_token IS NOT NULL ORDER BY id')
        .all() as {
        id: string;
      }[]
    ).map((row) => row.id);
    const last = connectionIds.at(-1)!;

    await rotateKeys(repos.handle, rotating(), {
      // Between two rows of the run, the bot (already on the new key) saves new tokens
      // for a row the run has read in its page but not reached yet.
      onProgress: async ({ rowsResealed }) => {
        if (rowsResealed === 1) {
          await bot.connections.markActive(
            last,
            authorization({ accessToken: 'saved-meanwhile', refreshToken: 'saved-meanwhile-rt' }),
          );
        }
      },
    });

    const secrets = await createRepos(repos.handle, createKeyRing(KEY_B)).connections.readSecrets(
      last,
      ['accessToken', 'refreshToken'],
    );
    expect(secrets?.accessToken).toBe('saved-meanwhile');
    expect(secrets?.refreshToken).toBe('saved-meanwhile-rt');
    expect(keyIdIn(String((await rawConnection(repos, last)).refresh_token))).toBe(ID_B);
  });

  it('reports each re-sealed row to the progress callback, with no secret in it', async () => {
    const { repos, plaintexts } = await sealedWithA();
    const progress: RotationProgress[] = [];

    await rotateKeys(repos.handle, rotating(), { onProgress: (p) => progress.push(p) });

    expect(progress.map((p) => p.rowsResealed)).toEqual([1, 2, 3, 4, 5]);
    expect(progress.map((p) => p.table)).toEqual([
      'connections',
      'connections',
      'connections',
      'auth_requests',
      'auth_requests',
    ]);
    const shown = JSON.stringify(progress);
    for (const plain of plaintexts.values()) expect(shown).not.toContain(plain);
    expect(shown).not.toContain('v1.');
  });

  it('refuses, changing nothing, when values are sealed with a key that is neither current nor previous', async () => {
    const { repos, sqlite } = await sealedWithA();
    await activeConnection(createRepos(repos.handle, createKeyRing(KEY_C)), {
      nickname: 'Sealed with C',
    });
    const before = sealedSnapshot(sqlite);

    const result = await rotateKeys(repos.handle, rotating());

    expect(await result).toEqual({
      ok: false,
      code: 'key_unknown',
      unknownKeys: [{ keyId: ID_C, values: 3 }],
      unreadable: [],
    });
    expect(sealedSnapshot(sqlite)).toEqual(before);
  });

  it('refuses, changing nothing, when a value was altered, naming where it is', async () => {
    const { repos, sqlite } = await sealedWithA();
    const [first, second] = sqlite.prepare('SELECT id, access_token FROM connections').all() as {
      id: string;
      access_token: string | null;
    }[];
    // A value copied from another row: well formed, known key, but bound elsewhere.
    sqlite
      .prepare('UPDATE connections SET access_token = ? WHERE id = ?')
      .run(first!.access_token, second!.id);
    sqlite
      .prepare('UPDATE connections SET refresh_token = ? WHERE id = ?')
      .run('not a sealed value', first!.id);
    const before = sealedSnapshot(sqlite);

    const result = await rotateKeys(repos.handle, rotating());

    expect(result).toMatchObject({ ok: false, code: 'seal_invalid', unknownKeys: [] });
    expect(result.ok ? [] : [...result.unreadable].sort()).toEqual(
      [`connections.access_token:${second!.id}`, `connections.refresh_token:${first!.id}`].sort(),
    );
    expect(sealedSnapshot(sqlite)).toEqual(before);
  });

  it('re-seals a key-pair connection’s private keys, current and pending, which still sign after', async () => {
    const handle = openSqliteTestDatabase(kind);
    const repos = createRepos(handle, createKeyRing(KEY_A));
    const plaintexts = await seedKeyPairConnection(repos);

    expect(await rotateKeys(repos.handle, rotating())).toMatchObject({
      ok: true,
      tables: { connections: { resealed: 2, skipped: 0 } },
    });

    const { sqlite } = handle;
    expect(keyIdsIn(sealedSnapshot(sqlite))).toEqual(new Set([ID_B]));
    expect(openAll(sqlite, createKeyRing(KEY_B))).toEqual(plaintexts);
    const [place = '', privateKey = ''] = [...plaintexts][0] ?? [];
    const signature = sign(null, Buffer.from('still mine'), privateKey);
    const id = place.split(':')[1] ?? '';
    const connection = createRepos(repos.handle, createKeyRing(KEY_B)).connections;
    const jwk = (await connection.findById('T_ACME', id))?.clientKey;
    expect(
      verify(
        null,
        Buffer.from('still mine'),
        createPublicKey({ key: { ...jwk }, format: 'jwk' }),
        signature,
      ),
    ).toBe(true);
  });

  it('knows every sealed column the repositories write', async () => {
    const { repos, sqlite } = await sealedWithA();
    await seedKeyPairConnection(repos);
    const sealedLooking = new Set<string>();
    const tables = sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as { name: string }[];
    for (const { name: table } of tables) {
      const columns = sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
      for (const { name: column } of columns) {
        const found = sqlite
          .prepare(`SELECT 1 FROM ${table} WHERE ${column} GLOB 'v1.[0-9a-f]*.*' LIMIT 1`)
          .get();
        if (found) sealedLooking.add(`${table}.${column}`);
      }
    }
    const known = Object.entries(SEALED_COLUMNS).flatMap(([table, columns]) =>
      columns.map((column) => `${table}.${column}`),
    );
    expect([...sealedLooking].sort()).toEqual([...known].sort());
  });
});

describe('rotateKeys in a process killed half way (SIGKILL)', () => {
  it('leaves a database that opens cleanly, every value opening with either key, and a second run completes', async () => {
    const path = join(tempDir(), 'bot.sqlite');
    const seeded = openSqliteTestDatabase('file', path);
    const plaintexts = await seedSealedValues(createRepos(seeded, createKeyRing(KEY_A)));
    await seeded.close();

    const worker = startTsx('test/db/rotateWorker.ts', {
      cwd: tempDir(),
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_PATH: path,
        KEY: KEY_B.toString('base64'),
        PREVIOUS_KEY: KEY_A.toString('base64'),
        KILL_AFTER_ROWS: '2',
      },
    });
    const killed = await worker.finished(15_000);
    expect(killed.stdout).not.toContain('finished');
    expect(killed.code).not.toBe(0);

    const reopened = openSqliteTestDatabase('file', path);
    expect(reopened.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    const afterKill = sealedSnapshot(reopened.sqlite);
    expect([...afterKill.values()].filter((sealed) => keyIdIn(sealed) === ID_B)).toHaveLength(6);
    expect(openAll(reopened.sqlite, rotating())).toEqual(plaintexts);

    const resumed = await rotateKeys(reopened, rotating());

    expect(await resumed).toMatchObject({
      ok: true,
      complete: true,
      rowsResealed: 3,
      remaining: 0,
    });
    expect(openAll(reopened.sqlite, createKeyRing(KEY_B))).toEqual(plaintexts);
  });
});
