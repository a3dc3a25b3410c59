import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  activeConnection,
  authorization,
  createRepos,
  DATABASE_KINDS,
  newConnection,
  openTestDatabase,
} from './testDatabase.ts';

describe.each(DATABASE_KINDS)('connections repository (%s)', (kind) => {
  const setup = async () => createRepos(await openTestDatabase(kind));

  describe('nicknames', () => {
    it('are unique per team whatever their case and spacing', async () => {
      const { connections } = await setup();
      expect(
        await (await connections.createPending(newConnection({ nickname: 'Prod Org' }))).ok,
      ).toBe(true);
      expect(await connections.createPending(newConnection({ nickname: ' PROD   org ' }))).toEqual({
        ok: false,
        code: 'nickname_taken',
      });
      expect(await connections.isNicknameTaken('T_ACME', 'prod ORG')).toBe(true);
      expect(await connections.isNicknameTaken('T_ACME', 'staging')).toBe(false);
    });

    it('may repeat in another team', async () => {
      const { connections } = await setup();
      await connections.createPending(newConnection({ teamId: 'T_ACME' }));
      expect(await (await connections.createPending(newConnection({ teamId: 'T_OTHER' }))).ok).toBe(
        true,
      );
    });

    it('can be used again once the connection that had it is deleted', async () => {
      const repos = await setup();
      await repos.connections.markDeleted((await activeConnection(repos)).id);
      expect(await repos.connections.isNicknameTaken('T_ACME', 'Prod Org')).toBe(false);
      expect(await (await repos.connections.createPending(newConnection())).ok).toBe(true);
    });
  });

  describe('team scoping', () => {
    it('does not let another team read a connection by id, nickname or list', async () => {
      const repos = await setup();
      const { id } = await activeConnection(repos);
      const { connections } = repos;
      expect(await (await connections.findById('T_ACME', id))?.id).toBe(id);
      expect(await connections.findById('T_EVIL', id)).toBeNull();
      expect(await connections.findByNickname('T_EVIL', 'Prod Org')).toBeNull();
      expect(await connections.listByTeam('T_EVIL')).toEqual([]);
      expect(await connections.countByTeam('T_EVIL')).toBe(0);
      expect(await connections.countByTeam('T_ACME')).toBe(1);
    });

    it('lists a team by nickname, a page at a time, without deleted connections', async () => {
      const { connections } = await setup();
      for (const nickname of ['charlie', 'Alpha', 'bravo', 'delta']) {
        await connections.createPending(newConnection({ nickname }));
      }
      await connections.markDeleted((await connections.findByNickname('T_ACME', 'delta'))!.id);
      const page = async (offset: number) =>
        (await connections.listByTeam('T_ACME', { limit: 2, offset })).map((c) => c.nickname);
      expect([await page(0), await page(2)]).toEqual([['Alpha', 'bravo'], ['charlie']]);
      expect(await connections.countByTeam('T_ACME')).toBe(3);
    });
  });

  describe('status changes', () => {
    it('move pending to active with the granted scopes and who authorized', async () => {
      const connection = await activeConnection(await setup());
      expect(await connection).toMatchObject({
        status: 'active',
        grantedScopes: ['okta.users.read'],
        requestedScopes: ['okta.users.read', 'okta.logs.read'],
        authorizedLogin: 'admin@acme.com',
        authorizedBy: 'U_ADMIN',
        version: 2,
      });
    });

    it('record why a connection failed or needs reauthorization', async () => {
      const repos = await setup();
      const { id } = await activeConnection(repos);
      const result = await repos.connections.markNeedsReauth(id, 'invalid_grant', 'expired');
      expect(result.ok && result.connection).toMatchObject({
        status: 'needs_reauth',
        statusCode: 'invalid_grant',
        statusText: 'expired',
      });
      const failed = await repos.connections.markFailed(id, 'invalid_client', 'bad secret');
      expect(failed.ok && failed.connection.status).toBe('failed');
    });

    it('answer conflict when someone else changed the connection first', async () => {
      const repos = await setup();
      const { id, version } = await activeConnection(repos);
      const attention = { code: 'insufficient_scope', text: null, scope: 'okta.logs.read' };
      expect(await (await repos.connections.setAttention(id, attention, version)).ok).toBe(true);
      expect(await repos.connections.markNeedsReauth(id, 'scopes', null, version)).toEqual({
        ok: false,
        code: 'conflict',
      });
    });

    it('answer not_found for an unknown connection', async () => {
      const { connections } = await setup();
      expect(await connections.markFailed('con_missing', 'x', null)).toEqual({
        ok: false,
        code: 'not_found',
      });
    });

    it('never bring a deleted connection back', async () => {
      const repos = await setup();
      const { id } = await activeConnection(repos);
      await repos.connections.markDeleted(id);
      expect(await repos.connections.markActive(id, authorization())).toEqual({
        ok: false,
        code: 'not_found',
      });
    });

    it('move an active connection to needs_reauth when its scopes are edited', async () => {
      const repos = await setup();
      const result = await repos.connections.updateScopes((await activeConnection(repos)).id, {
        scopeMode: 'custom',
        requestedScopes: ['okta.users.read', 'okta.groups.read'],
      });
      expect(result.ok && result.connection).toMatchObject({
        status: 'needs_reauth',
        statusCode: 'scopes_changed',
        scopeMode: 'custom',
        requestedScopes: ['okta.users.read', 'okta.groups.read'],
      });
    });

    it('keep a pending connection pending when its scopes are edited', async () => {
      const { connections } = await setup();
      const created = await connections.createPending(newConnection());
      if (!created.ok) throw new Error('create failed');
      const result = await connections.updateScopes(created.connection.id, {
        scopeMode: 'default',
        requestedScopes: ['okta.users.read'],
      });
      expect(result.ok && result.connection.status).toBe('pending');
    });

    it('set and clear the attention mark of a working connection', async () => {
      const repos = await setup();
      const { id } = await activeConnection(repos);
      const attention = { code: 'insufficient_scope', text: null, scope: 'okta.logs.read' };
      const marked = await repos.connections.setAttention(id, attention);
      expect(marked.ok && marked.connection).toMatchObject({ status: 'active', attention });
      const cleared = await repos.connections.clearAttention(id);
      expect(cleared.ok && cleared.connection.attention).toBeNull();
    });
  });

  describe('checks and alerts', () => {
    it('count failures since the first one and clear them on success', async () => {
      const repos = await setup();
      const { id } = await activeConnection(repos);
      const { connections, clock } = repos;
      const firstAt = clock();
      expect(await connections.recordFailure(id, 'okta unreachable')).toBe(1);
      clock.advance(60_000);
      expect(await connections.recordFailure(id, 'HTTP 503')).toBe(2);
      expect(await connections.findById('T_ACME', id)).toMatchObject({
        failureCount: 2,
        lastError: 'HTTP 503',
        failingSince: firstAt,
        lastErrorAt: firstAt + 60_000,
      });
      await connections.recordCheck(id);
      expect(await connections.findById('T_ACME', id)).toMatchObject({
        failureCount: 0,
        failingSince: null,
        lastCheckedAt: firstAt + 60_000,
      });
    });

    it('remember the one open alert message without counting as an edit', async () => {
      const repos = await setup();
      const { id, version } = await activeConnection(repos);
      const message = { channel: 'C_OPS', ts: '1700000000.000100', incidentKey: 'needs_reauth' };
      await repos.connections.setNotifyMessage(id, message);
      const read = await repos.connections.findById('T_ACME', id);
      expect(read?.notifyMessage).toEqual(message);
      expect(read?.version).toBe(version);
      await repos.connections.clearNotifyMessage(id);
      expect(await (await repos.connections.findById('T_ACME', id))?.notifyMessage).toBeNull();
    });
  });

  it('refuses a row whose JSON column was corrupted, naming the column', async () => {
    const repos = await setup();
    const { id } = await activeConnection(repos);
    await repos.handle.run(
      sql`UPDATE connections SET granted_scopes = '{not json' WHERE id = ${id}`,
    );
    await expect(repos.connections.findById('T_ACME', id)).rejects.toThrow(/grantedScopes/);
  });
});
