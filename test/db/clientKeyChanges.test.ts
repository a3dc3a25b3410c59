import { describe, expect, it } from 'vitest';
import { generateClientKey } from '../../src/clientCredential.ts';
import {
  activeConnection,
  createRepos,
  DATABASE_KINDS,
  newConnection,
  openTestDatabase,
  rawConnection,
} from './testDatabase.ts';

describe.each(DATABASE_KINDS)('client key pairs in the connections repository (%s)', (kind) => {
  async function keyPairConnection() {
    const repos = createRepos(await openTestDatabase(kind));
    const current = generateClientKey();
    const created = await repos.connections.createPending(
      newConnection({ nickname: 'keys', clientKey: current }),
    );
    if (!created.ok) throw new Error('not created');
    return { repos, current, connection: created.connection };
  }

  it('stores the public JWK readable and the private key sealed; reads show only the public half', async () => {
    const { repos, current, connection } = await keyPairConnection();
    expect(connection).toMatchObject({
      clientAuthMethod: 'private_key_jwt',
      clientKey: current.publicJwk,
      pendingClientKey: null,
      hasClientSecret: false,
    });
    const row = await rawConnection(repos, connection.id);
    expect(String(row.client_private_key).startsWith('v1.')).toBe(true);
    expect(JSON.stringify(connection)).not.toContain('PRIVATE KEY');
    const secrets = await repos.connections.readSecrets(connection.id, ['clientPrivateKey']);
    expect(secrets?.clientPrivateKey).toBe(current.privateKey);
  });

  it('keeps rows from before key pairs on the client secret', async () => {
    const repos = createRepos(await openTestDatabase(kind));
    expect(await activeConnection(repos)).toMatchObject({
      clientAuthMethod: 'client_secret_basic',
      clientKey: null,
    });
  });

  it('switches to the pending key only when it is still the one confirmed, sealing it for its new column', async () => {
    const { repos, current, connection } = await keyPairConnection();
    const first = generateClientKey();
    const second = generateClientKey();
    await repos.connections.storePendingKey(connection.id, first);
    await repos.connections.storePendingKey(connection.id, second);

    expect(await repos.connections.promotePendingKey(connection.id, first.keyId)).toBeNull();
    const switched = await repos.connections.promotePendingKey(connection.id, second.keyId);
    expect(switched).toMatchObject({ clientKey: second.publicJwk, pendingClientKey: null });
    const secrets = await repos.connections.readSecrets(connection.id, [
      'clientPrivateKey',
      'pendingPrivateKey',
    ]);
    expect(secrets?.clientPrivateKey).toBe(second.privateKey);
    expect(secrets?.pendingPrivateKey).toBeNull();
    expect(secrets?.clientPrivateKey).not.toBe(current.privateKey);
  });

  it('drops a pending key and leaves the current one', async () => {
    const { repos, current, connection } = await keyPairConnection();
    await repos.connections.storePendingKey(connection.id, generateClientKey());
    const dropped = await repos.connections.dropPendingKey(connection.id);
    expect(dropped).toMatchObject({ clientKey: current.publicJwk, pendingClientKey: null });
    expect((await rawConnection(repos, connection.id)).pending_private_key).toBeNull();
  });

  it('gives a connection with a client secret no pending key', async () => {
    const repos = createRepos(await openTestDatabase(kind));
    const { id } = await activeConnection(repos);
    expect(await repos.connections.storePendingKey(id, generateClientKey())).toBeNull();
  });
});
