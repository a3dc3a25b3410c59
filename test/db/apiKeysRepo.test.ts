import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/crypto.ts';
import {
  activeConnection,
  createRepos,
  DATABASE_KINDS,
  newConnection,
  openTestDatabase,
} from './testDatabase.ts';

describe.each(DATABASE_KINDS)('API keys repository (%s)', (kind) => {
  const setup = async () => {
    const repos = createRepos(await openTestDatabase(kind));
    const connection = await activeConnection(repos);
    return { repos, connection };
  };
  const newKey = (connectionIds: string[] | null, name = 'logs reader') => ({
    teamId: 'T_ACME',
    name,
    connectionIds,
    actions: ['read'] as const,
    expiresAt: null,
    createdBy: 'U_ADMIN',
    linkExpiresAt: 1_700_000_900_000,
  });

  it('stores a key for chosen connections, shows it once, and finds it by its hash only', async () => {
    const { repos, connection } = await setup();
    const created = await repos.apiKeys.create(newKey([connection.id]));
    if (!created.ok) throw new Error(created.code);
    expect(created.record).toMatchObject({ connectionIds: [connection.id], actions: ['read'] });

    const shown = await repos.apiKeys.reveal(created.linkToken);
    if (!shown.ok) throw new Error(shown.code);
    expect(await repos.apiKeys.reveal(created.linkToken)).toEqual({ ok: false, code: 'used' });
    expect((await repos.apiKeys.findByKeyHash(hashToken(shown.key)))?.id).toBe(created.record.id);
    expect(await repos.apiKeys.findByKeyHash(hashToken(`${shown.key}x`))).toBeNull();
  });

  it('refuses a second live key of the same name in a team, whatever its case', async () => {
    const { repos } = await setup();
    expect((await repos.apiKeys.create(newKey(null, 'Deploy'))).ok).toBe(true);
    expect(await repos.apiKeys.create(newKey(null, ' deploy '))).toEqual({
      ok: false,
      code: 'name_taken',
    });
  });

  it('keeps every connection for an all-connections key, and revokes once', async () => {
    const { repos } = await setup();
    const created = await repos.apiKeys.create(newKey(null));
    if (!created.ok) throw new Error(created.code);
    expect(created.record.connectionIds).toBeNull();
    expect(await repos.apiKeys.anyLive()).toBe(true);
    expect(await repos.apiKeys.revoke('T_OTHER', created.record.id, 'U_EVIL')).toBeNull();
    expect(await repos.apiKeys.revoke('T_ACME', created.record.id, 'U_ADMIN')).toMatchObject({
      id: created.record.id,
    });
    expect(await repos.apiKeys.revoke('T_ACME', created.record.id, 'U_ADMIN')).toBeNull();
    expect(await repos.apiKeys.listLive('T_ACME')).toEqual([]);
  });

  it('forgets a deleted connection in every key that named it', async () => {
    const { repos, connection } = await setup();
    const other = await repos.connections.createPending(newConnection({ nickname: 'Other' }));
    if (!other.ok) throw new Error(other.code);
    const created = await repos.apiKeys.create(newKey([connection.id, other.connection.id]));
    if (!created.ok) throw new Error(created.code);
    await repos.apiKeys.forgetConnection(connection.id);
    expect((await repos.apiKeys.findByName('T_ACME', 'logs reader'))?.connectionIds).toEqual([
      other.connection.id,
    ]);
  });
});
