import { inspect } from 'node:util';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createKeyRing } from '../../src/crypto.ts';
import {
  ACCESS_TOKEN,
  activeConnection,
  authorization,
  CLIENT_SECRET,
  createRepos,
  DATABASE_KINDS,
  KEY_A,
  KEY_B,
  newAuthRequest,
  newConnection,
  openTestDatabase,
  REFRESH_TOKEN,
  rawConnection,
} from './testDatabase.ts';

describe.each(DATABASE_KINDS)('connection secrets (%s)', (kind) => {
  const setup = async () => createRepos(await openTestDatabase(kind));

  it('are stored sealed, never in plain text', async () => {
    const repos = await setup();
    const row = await rawConnection(repos, (await activeConnection(repos)).id);
    for (const [column, plain] of [
      ['client_secret', CLIENT_SECRET],
      ['access_token', ACCESS_TOKEN],
      ['refresh_token', REFRESH_TOKEN],
    ] as const) {
      expect(String(row[column]).startsWith('v1.')).toBe(true);
      expect(String(row[column])).not.toContain(plain);
    }
  });

  it('are absent, sealed or not, from every normal read', async () => {
    const repos = await setup();
    const connection = await activeConnection(repos);
    const reads = [
      connection,
      await repos.connections.findById('T_ACME', connection.id),
      await repos.connections.findByNickname('T_ACME', 'prod org'),
      ...(await repos.connections.listByTeam('T_ACME')),
    ];
    for (const read of reads) {
      const shown = `${JSON.stringify(read)} ${inspect(read, { depth: 5 })}`;
      for (const secret of [ACCESS_TOKEN, REFRESH_TOKEN, CLIENT_SECRET, 'v1.']) {
        expect(shown).not.toContain(secret);
      }
    }
    expect(connection).toMatchObject({ hasClientSecret: true, hasRefreshToken: true });
  });

  it('are opened only when asked for by name, and stay hidden from JSON and loggers', async () => {
    const repos = await setup();
    const { id } = await activeConnection(repos);
    const secrets = await repos.connections.readSecrets(id, ['accessToken', 'refreshToken']);
    expect(secrets?.accessToken).toBe(ACCESS_TOKEN);
    expect(secrets?.refreshToken).toBe(REFRESH_TOKEN);
    expect(secrets).not.toHaveProperty('clientSecret');
    const shown = `${JSON.stringify(secrets)} ${inspect(secrets)} ${JSON.stringify({ ...secrets })}`;
    expect(shown).not.toContain(ACCESS_TOKEN);
    expect(shown).not.toContain(REFRESH_TOKEN);
    expect(JSON.stringify(secrets)).toBe(
      '{"accessToken":"[redacted]","refreshToken":"[redacted]"}',
    );
  });

  it('do not open when copied into another connection’s row', async () => {
    const repos = await setup();
    const source = await activeConnection(repos);
    const target = await repos.connections.createPending(newConnection({ nickname: 'Other' }));
    if (!target.ok) throw new Error('create failed');
    const copied = (await rawConnection(repos, source.id)).access_token as string;
    await repos.handle.run(
      sql`UPDATE connections SET access_token = ${copied} WHERE id = ${target.connection.id}`,
    );
    await expect(
      repos.connections.readSecrets(target.connection.id, ['accessToken']),
    ).rejects.toThrow(expect.objectContaining({ code: 'seal_invalid' }));
  });

  it('sealed with the previous key still open after a key rotation', async () => {
    const handle = await openTestDatabase(kind);
    const { id } = await activeConnection(createRepos(handle, createKeyRing(KEY_A)));
    const rotated = createRepos(handle, createKeyRing(KEY_B, [KEY_A]));
    const secrets = await rotated.connections.readSecrets(id, ['clientSecret', 'refreshToken']);
    expect(secrets?.clientSecret).toBe(CLIENT_SECRET);
    expect(secrets?.refreshToken).toBe(REFRESH_TOKEN);

    const withoutOldKey = createRepos(handle, createKeyRing(KEY_B));
    await expect(withoutOldKey.connections.readSecrets(id, ['clientSecret'])).rejects.toThrow(
      expect.objectContaining({ code: 'key_unknown' }),
    );
  });

  it('are kept when a reauthorization brings no new client secret', async () => {
    const repos = await setup();
    const { id } = await activeConnection(repos);
    // The setup page's secret field was left empty: the stored secret is reused.
    await repos.connections.markActive(id, authorization({ clientSecret: undefined }));
    expect(await (await repos.connections.readSecrets(id, ['clientSecret']))?.clientSecret).toBe(
      CLIENT_SECRET,
    );
  });

  it('are all wiped, with the connection’s pending links, when it is deleted', async () => {
    const repos = await setup();
    const { id } = await activeConnection(repos);
    const { linkToken } = await repos.authRequests.create(
      newAuthRequest(id, repos.clock, { purpose: 'reauthorize' }),
    );
    expect(await (await repos.connections.markDeleted(id)).ok).toBe(true);
    const row = await rawConnection(repos, id);
    expect(row.status).toBe('deleted');
    expect([row.client_secret, row.access_token, row.refresh_token]).toEqual([null, null, null]);
    expect(await repos.authRequests.findByLinkToken(linkToken)).toBeNull();
    expect(await repos.connections.readSecrets(id, ['accessToken'])).toBeNull();
  });
});
