import { describe, expect, it } from 'vitest';
import {
  createRepos,
  DATABASE_KINDS,
  newConnection,
  openTestDatabase,
  type Repos,
} from './testDatabase.ts';

const LINK_TTL = 15 * 60_000;

function connectionOf(repos: Repos, nickname = 'acme-prod') {
  const created = repos.connections.createPending({ ...newConnection(), nickname });
  if (!created.ok) throw new Error('create failed');
  return created.connection;
}

function request(repos: Repos, connectionId: string, user = 'U_ADMIN') {
  return repos.authRequests.create({
    connectionId,
    teamId: 'T_ACME',
    purpose: 'reauthorize',
    scopeMode: 'custom',
    connectionVersion: 3,
    requestedScopes: ['openid', 'okta.logs.read'],
    slackUserId: user,
    expiresAt: repos.clock() + LINK_TTL,
  });
}

const start = (repos: Repos) => ({
  state: 'state-0123456789',
  browserBinding: 'browser-0123456789',
  pkceVerifier: 'verifier-0123456789',
  nonce: 'nonce',
  expiresAt: repos.clock() + LINK_TTL,
});

describe.each(DATABASE_KINDS)('inspecting links and states (%s)', (kind) => {
  const setup = () => createRepos(openTestDatabase(kind));

  it('keeps the scope mode and connection version of the request', () => {
    const repos = setup();
    const { request: created } = request(repos, connectionOf(repos).id);
    expect(created).toMatchObject({ scopeMode: 'custom', connectionVersion: 3 });
  });

  it('says whether a link is unknown, usable, used or expired', () => {
    const repos = setup();
    const { request: created, linkToken } = request(repos, connectionOf(repos).id);
    expect(repos.authRequests.inspectLinkToken('nope')).toEqual({
      ok: false,
      code: 'link_unknown',
    });
    expect(repos.authRequests.inspectLinkToken(linkToken)).toMatchObject({
      ok: true,
      request: { id: created.id },
    });
    repos.clock.advance(LINK_TTL);
    expect(repos.authRequests.inspectLinkToken(linkToken)).toMatchObject({
      ok: false,
      code: 'link_expired',
    });

    const second = request(repos, connectionOf(repos, 'second').id);
    repos.authRequests.beginAuthorization(second.request.id, start(repos));
    expect(repos.authRequests.inspectLinkToken(second.linkToken)).toMatchObject({
      ok: false,
      code: 'link_used',
    });
  });

  it('reads a state without consuming it, and says why it cannot be used', () => {
    const repos = setup();
    const { request: created } = request(repos, connectionOf(repos).id);
    expect(repos.authRequests.inspectState('state-0123456789')).toEqual({
      ok: false,
      code: 'state_unknown',
    });
    repos.authRequests.beginAuthorization(created.id, start(repos));
    expect(repos.authRequests.inspectState('state-0123456789')).toMatchObject({ ok: true });
    expect(repos.authRequests.inspectState('state-0123456789')).toMatchObject({ ok: true });
    expect(repos.authRequests.consumeByState('state-0123456789', repos.clock())?.id).toBe(
      created.id,
    );
    expect(repos.authRequests.inspectState('state-0123456789')).toMatchObject({
      ok: false,
      code: 'state_used',
    });
  });

  it('reports an expired state as expired', () => {
    const repos = setup();
    const { request: created } = request(repos, connectionOf(repos).id);
    repos.authRequests.beginAuthorization(created.id, start(repos));
    repos.clock.advance(LINK_TTL + 1);
    expect(repos.authRequests.inspectState('state-0123456789')).toMatchObject({
      ok: false,
      code: 'state_expired',
    });
  });
});

describe.each(DATABASE_KINDS)('one reauthorization at a time (%s)', (kind) => {
  const setup = () => createRepos(openTestDatabase(kind));
  const input = (repos: Repos, connectionId: string, user: string) => ({
    connectionId,
    teamId: 'T_ACME',
    purpose: 'reauthorize' as const,
    scopeMode: 'default' as const,
    connectionVersion: 1,
    requestedScopes: ['openid'],
    slackUserId: user,
    expiresAt: repos.clock() + LINK_TTL,
  });

  it('refuses a second admin while the first one’s link is open, naming the holder', () => {
    const repos = setup();
    const id = connectionOf(repos).id;
    const first = repos.authRequests.createReauthorization(input(repos, id, 'U_ONE'));
    expect(first.ok).toBe(true);
    const second = repos.authRequests.createReauthorization(input(repos, id, 'U_TWO'));
    expect(second).toMatchObject({ ok: false, holder: { slackUserId: 'U_ONE' } });
    expect(repos.authRequests.findOpenForConnection(id)?.slackUserId).toBe('U_ONE');
  });

  it('lets the second admin in once the first link has expired', () => {
    const repos = setup();
    const id = connectionOf(repos).id;
    repos.authRequests.createReauthorization(input(repos, id, 'U_ONE'));
    repos.clock.advance(LINK_TTL);
    expect(repos.authRequests.createReauthorization(input(repos, id, 'U_TWO')).ok).toBe(true);
  });

  it('supersedes the same admin’s older link so only the newest works', () => {
    const repos = setup();
    const id = connectionOf(repos).id;
    const first = repos.authRequests.createReauthorization(input(repos, id, 'U_ONE'));
    const second = repos.authRequests.createReauthorization(input(repos, id, 'U_ONE'));
    if (!first.ok || !second.ok) throw new Error('expected both to be created');
    expect(repos.authRequests.inspectLinkToken(first.linkToken)).toMatchObject({
      ok: false,
      code: 'link_used',
    });
    expect(repos.authRequests.inspectLinkToken(second.linkToken).ok).toBe(true);
  });
});

describe.each(DATABASE_KINDS)('activating with new scopes (%s)', (kind) => {
  it('stores the scopes chosen for the authorization with the tokens', () => {
    const repos = createRepos(openTestDatabase(kind));
    const connection = connectionOf(repos);
    const result = repos.connections.markActive(connection.id, {
      grantedScopes: ['openid', 'okta.logs.read'],
      accessToken: 'access-0123456789',
      refreshToken: null,
      accessExpiresAt: null,
      authorizedSub: '00u1',
      authorizedLogin: 'admin@acme.com',
      authorizedBy: 'U_ADMIN',
      scopes: { scopeMode: 'custom', requestedScopes: ['openid', 'okta.logs.read'] },
    });
    expect(result).toMatchObject({
      ok: true,
      connection: {
        scopeMode: 'custom',
        requestedScopes: ['openid', 'okta.logs.read'],
        status: 'active',
      },
    });
  });
});
