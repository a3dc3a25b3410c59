import { inspect } from 'node:util';
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
  const setup = () => createRepos(openTestDatabase(kind));

  it('are stored sealed, never in plain text', () => {
    const repos = setup();
    const row = rawConnection(repos, activeConnection(repos).id);
    for (const [column, plain] of [
      ['client_secret', CLIENT_SECRET],
      ['access_token', ACCESS_TOKEN],
      ['refresh_token', REFRESH_TOKEN],
    ] as const) {
      expect(String(row[column]).startsWith('v1.')).toBe(true);
      expect(String(row[column])).not.toContain(plain);
    }
  });

  it('are absent, sealed or not, from every normal read', () => {
    const repos = setup();
    const connection = activeConnection(repos);
    const reads = [
      connection,
      repos.connections.findById('T_ACME', connection.id),
      repos.connections.findByNickname('T_ACME', 'prod org'),
      ...repos.connections.listByTeam('T_ACME'),
    ];
    for (const read of reads) {
      const shown = `${JSON.stringify(read)} ${inspect(read, { depth: 5 })}`;
      for (const secret of [ACCESS_TOKEN, REFRESH_TOKEN, CLIENT_SECRET, 'v1.']) {
        expect(shown).not.toContain(secret);
      }
    }
    expect(connection).toMatchObject({ hasClientSecret: true, hasRefreshToken: true });
  });

  it('are opened only when asked for by name, and stay hidden from JSON and loggers', () => {
    const repos = setup();
    const { id } = activeConnection(repos);
    const secrets = repos.connections.readSecrets(id, ['accessToken', 'refreshToken']);
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

  it('do not open when copied into another connection’s row', () => {
    const repos = setup();
    const source = activeConnection(repos);
    const target = repos.connections.createPending(newConnection({ nickname: 'Other' }));
    if (!target.ok) throw new Error('create failed');
    repos.handle.sqlite
      .prepare('UPDATE connections SET access_token = ? WHERE id = ?')
      .run(rawConnection(repos, source.id).access_token, target.connection.id);
    expect(() => repos.connections.readSecrets(target.connection.id, ['accessToken'])).toThrow(
      expect.objectContaining({ code: 'seal_invalid' }),
    );
  });

  it('sealed with the previous key still open after a key rotation', () => {
    const handle = openTestDatabase(kind);
    const { id } = activeConnection(createRepos(handle, createKeyRing(KEY_A)));
    const rotated = createRepos(handle, createKeyRing(KEY_B, [KEY_A]));
    const secrets = rotated.connections.readSecrets(id, ['clientSecret', 'refreshToken']);
    expect(secrets?.clientSecret).toBe(CLIENT_SECRET);
    expect(secrets?.refreshToken).toBe(REFRESH_TOKEN);

    const withoutOldKey = createRepos(handle, createKeyRing(KEY_B));
    expect(() => withoutOldKey.connections.readSecrets(id, ['clientSecret'])).toThrow(
      expect.objectContaining({ code: 'key_unknown' }),
    );
  });

  it('are kept when a reauthorization brings no new client secret', () => {
    const repos = setup();
    const { id } = activeConnection(repos);
    // The setup page's secret field was left empty: the stored secret is reused.
    repos.connections.markActive(id, authorization({ clientSecret: undefined }));
    expect(repos.connections.readSecrets(id, ['clientSecret'])?.clientSecret).toBe(CLIENT_SECRET);
  });

  it('are all wiped, with the connection’s pending links, when it is deleted', () => {
    const repos = setup();
    const { id } = activeConnection(repos);
    const { linkToken } = repos.authRequests.create(
      newAuthRequest(id, repos.clock, { purpose: 'reauthorize' }),
    );
    expect(repos.connections.markDeleted(id).ok).toBe(true);
    const row = rawConnection(repos, id);
    expect(row.status).toBe('deleted');
    expect([row.client_secret, row.access_token, row.refresh_token]).toEqual([null, null, null]);
    expect(repos.authRequests.findByLinkToken(linkToken)).toBeNull();
    expect(repos.connections.readSecrets(id, ['accessToken'])).toBeNull();
  });
});
