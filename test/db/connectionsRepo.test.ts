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
  const setup = () => createRepos(openTestDatabase(kind));

  describe('nicknames', () => {
    it('are unique per team whatever their case and spacing', () => {
      const { connections } = setup();
      expect(connections.createPending(newConnection({ nickname: 'Prod Org' })).ok).toBe(true);
      expect(connections.createPending(newConnection({ nickname: ' PROD   org ' }))).toEqual({
        ok: false,
        code: 'nickname_taken',
      });
      expect(connections.isNicknameTaken('T_ACME', 'prod ORG')).toBe(true);
      expect(connections.isNicknameTaken('T_ACME', 'staging')).toBe(false);
    });

    it('may repeat in another team', () => {
      const { connections } = setup();
      connections.createPending(newConnection({ teamId: 'T_ACME' }));
      expect(connections.createPending(newConnection({ teamId: 'T_OTHER' })).ok).toBe(true);
    });

    it('can be used again once the connection that had it is deleted', () => {
      const repos = setup();
      repos.connections.markDeleted(activeConnection(repos).id);
      expect(repos.connections.isNicknameTaken('T_ACME', 'Prod Org')).toBe(false);
      expect(repos.connections.createPending(newConnection()).ok).toBe(true);
    });
  });

  describe('team scoping', () => {
    it('does not let another team read a connection by id, nickname or list', () => {
      const repos = setup();
      const { id } = activeConnection(repos);
      const { connections } = repos;
      expect(connections.findById('T_ACME', id)?.id).toBe(id);
      expect(connections.findById('T_EVIL', id)).toBeNull();
      expect(connections.findByNickname('T_EVIL', 'Prod Org')).toBeNull();
      expect(connections.listByTeam('T_EVIL')).toEqual([]);
      expect(connections.countByTeam('T_EVIL')).toBe(0);
      expect(connections.countByTeam('T_ACME')).toBe(1);
    });

    it('lists a team by nickname, a page at a time, without deleted connections', () => {
      const { connections } = setup();
      for (const nickname of ['charlie', 'Alpha', 'bravo', 'delta']) {
        connections.createPending(newConnection({ nickname }));
      }
      connections.markDeleted(connections.findByNickname('T_ACME', 'delta')!.id);
      const page = (offset: number) =>
        connections.listByTeam('T_ACME', { limit: 2, offset }).map((c) => c.nickname);
      expect([page(0), page(2)]).toEqual([['Alpha', 'bravo'], ['charlie']]);
      expect(connections.countByTeam('T_ACME')).toBe(3);
    });
  });

  describe('status changes', () => {
    it('move pending to active with the granted scopes and who authorized', () => {
      const connection = activeConnection(setup());
      expect(connection).toMatchObject({
        status: 'active',
        grantedScopes: ['okta.users.read'],
        requestedScopes: ['okta.users.read', 'okta.logs.read'],
        authorizedLogin: 'admin@acme.com',
        authorizedBy: 'U_ADMIN',
        version: 2,
      });
    });

    it('record why a connection failed or needs reauthorization', () => {
      const repos = setup();
      const { id } = activeConnection(repos);
      const result = repos.connections.markNeedsReauth(id, 'invalid_grant', 'expired');
      expect(result.ok && result.connection).toMatchObject({
        status: 'needs_reauth',
        statusCode: 'invalid_grant',
        statusText: 'expired',
      });
      const failed = repos.connections.markFailed(id, 'invalid_client', 'bad secret');
      expect(failed.ok && failed.connection.status).toBe('failed');
    });

    it('answer conflict when someone else changed the connection first', () => {
      const repos = setup();
      const { id, version } = activeConnection(repos);
      const attention = { code: 'insufficient_scope', text: null, scope: 'okta.logs.read' };
      expect(repos.connections.setAttention(id, attention, version).ok).toBe(true);
      expect(repos.connections.markNeedsReauth(id, 'scopes', null, version)).toEqual({
        ok: false,
        code: 'conflict',
      });
    });

    it('answer not_found for an unknown connection', () => {
      const { connections } = setup();
      expect(connections.markFailed('con_missing', 'x', null)).toEqual({
        ok: false,
        code: 'not_found',
      });
    });

    it('never bring a deleted connection back', () => {
      const repos = setup();
      const { id } = activeConnection(repos);
      repos.connections.markDeleted(id);
      expect(repos.connections.markActive(id, authorization())).toEqual({
        ok: false,
        code: 'not_found',
      });
    });

    it('move an active connection to needs_reauth when its scopes are edited', () => {
      const repos = setup();
      const result = repos.connections.updateScopes(activeConnection(repos).id, {
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

    it('keep a pending connection pending when its scopes are edited', () => {
      const { connections } = setup();
      const created = connections.createPending(newConnection());
      if (!created.ok) throw new Error('create failed');
      const result = connections.updateScopes(created.connection.id, {
        scopeMode: 'default',
        requestedScopes: ['okta.users.read'],
      });
      expect(result.ok && result.connection.status).toBe('pending');
    });

    it('set and clear the attention mark of a working connection', () => {
      const repos = setup();
      const { id } = activeConnection(repos);
      const attention = { code: 'insufficient_scope', text: null, scope: 'okta.logs.read' };
      const marked = repos.connections.setAttention(id, attention);
      expect(marked.ok && marked.connection).toMatchObject({ status: 'active', attention });
      const cleared = repos.connections.clearAttention(id);
      expect(cleared.ok && cleared.connection.attention).toBeNull();
    });
  });

  describe('checks and alerts', () => {
    it('count failures since the first one and clear them on success', () => {
      const repos = setup();
      const { id } = activeConnection(repos);
      const { connections, clock } = repos;
      const firstAt = clock();
      expect(connections.recordFailure(id, 'okta unreachable')).toBe(1);
      clock.advance(60_000);
      expect(connections.recordFailure(id, 'HTTP 503')).toBe(2);
      expect(connections.findById('T_ACME', id)).toMatchObject({
        failureCount: 2,
        lastError: 'HTTP 503',
        failingSince: firstAt,
        lastErrorAt: firstAt + 60_000,
      });
      connections.recordCheck(id);
      expect(connections.findById('T_ACME', id)).toMatchObject({
        failureCount: 0,
        failingSince: null,
        lastCheckedAt: firstAt + 60_000,
      });
    });

    it('remember the one open alert message without counting as an edit', () => {
      const repos = setup();
      const { id, version } = activeConnection(repos);
      const message = { channel: 'C_OPS', ts: '1700000000.000100', incidentKey: 'needs_reauth' };
      repos.connections.setNotifyMessage(id, message);
      const read = repos.connections.findById('T_ACME', id);
      expect(read?.notifyMessage).toEqual(message);
      expect(read?.version).toBe(version);
      repos.connections.clearNotifyMessage(id);
      expect(repos.connections.findById('T_ACME', id)?.notifyMessage).toBeNull();
    });
  });

  it('refuses a row whose JSON column was corrupted, naming the column', () => {
    const repos = setup();
    const { id } = activeConnection(repos);
    repos.handle.sqlite
      .prepare("UPDATE connections SET granted_scopes = '{not json' WHERE id = ?")
      .run(id);
    expect(() => repos.connections.findById('T_ACME', id)).toThrow(/grantedScopes/);
  });
});
