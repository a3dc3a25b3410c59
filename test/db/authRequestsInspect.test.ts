import { describe, expect, it } from 'vitest';
import {
  createRepos,
  DATABASE_KINDS,
  newConnection,
  openTestDatabase,
  type Repos,
} from './testDatabase.ts';

const LINK_TTL = 15 * 60_000;

async function connectionOf(repos: Repos, nickname = 'acme-prod') {
  const created = await repos.connections.createPending({ ...newConnection(), nickname });
  if (!created.ok) throw new Error('create failed');
  return created.connection;
}

async function request(repos: Repos, connectionId: string, user = 'U_ADMIN') {
  return await repos.authRequests.create({
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
  const setup = async () => createRepos(await openTestDatabase(kind));

  it('keeps the scope mode and connection version of the request', async () => {
    const repos = await setup();
    const { request: created } = await request(repos, (await connectionOf(repos)).id);
    expect(created).toMatchObject({ scopeMode: 'custom', connectionVersion: 3 });
  });

  it('says whether a link is unknown, usable, used or expired', async () => {
    const repos = await setup();
    const { request: created, linkToken } = await request(repos, (await connectionOf(repos)).id);
    expect(await repos.authRequests.inspectLinkToken('nope')).toEqual({
      ok: false,
      code: 'link_unknown',
    });
    expect(await repos.authRequests.inspectLinkToken(linkToken)).toMatchObject({
      ok: true,
      request: { id: created.id },
    });
    repos.clock.advance(LINK_TTL);
    expect(await repos.authRequests.inspectLinkToken(linkToken)).toMatchObject({
      ok: false,
      code: 'link_expired',
    });

    const second = await request(repos, (await connectionOf(repos, 'second')).id);
    await repos.authRequests.beginAuthorization(second.request.id, start(repos));
    expect(await repos.authRequests.inspectLinkToken(second.linkToken)).toMatchObject({
      ok: false,
      code: 'link_used',
    });
  });

  it('reads a state without consuming it, and says why it cannot be used', async () => {
    const repos = await setup();
    const { request: created } = await request(repos, (await connectionOf(repos)).id);
    expect(await repos.authRequests.inspectState('state-0123456789')).toEqual({
      ok: false,
      code: 'state_unknown',
    });
    await repos.authRequests.beginAuthorization(created.id, start(repos));
    expect(await repos.authRequests.inspectState('state-0123456789')).toMatchObject({ ok: true });
    expect(await repos.authRequests.inspectState('state-0123456789')).toMatchObject({ ok: true });
    expect(
      await (await repos.authRequests.consumeByState('state-0123456789', repos.clock()))?.id,
    ).toBe(created.id);
    expect(await repos.authRequests.inspectState('state-0123456789')).toMatchObject({
      ok: false,
      code: 'state_used',
    });
  });

  it('reports an expired state as expired', async () => {
    const repos = await setup();
    const { request: created } = await request(repos, (await connectionOf(repos)).id);
    await repos.authRequests.beginAuthorization(created.id, start(repos));
    repos.clock.advance(LINK_TTL + 1);
    expect(await repos.authRequests.inspectState('state-0123456789')).toMatchObject({
      ok: false,
      code: 'state_expired',
    });
  });
});

describe.each(DATABASE_KINDS)('one reauthorization at a time (%s)', (kind) => {
  const setup = async () => createRepos(await openTestDatabase(kind));
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

  it('refuses a second admin while the first one’s link is open, naming the holder', async () => {
    const repos = await setup();
    const id = (await connectionOf(repos)).id;
    const first = await repos.authRequests.createReauthorization(input(repos, id, 'U_ONE'));
    expect(first.ok).toBe(true);
    const second = await repos.authRequests.createReauthorization(input(repos, id, 'U_TWO'));
    expect(second).toMatchObject({ ok: false, holder: { slackUserId: 'U_ONE' } });
    expect(await (await repos.authRequests.findOpenForConnection(id))?.slackUserId).toBe('U_ONE');
  });

  it('lets the second admin in once the first link has expired', async () => {
    const repos = await setup();
    const id = (await connectionOf(repos)).id;
    await repos.authRequests.createReauthorization(input(repos, id, 'U_ONE'));
    repos.clock.advance(LINK_TTL);
    expect(
      await (await repos.authRequests.createReauthorization(input(repos, id, 'U_TWO'))).ok,
    ).toBe(true);
  });

  it('supersedes the same admin’s older link so only the newest works', async () => {
    const repos = await setup();
    const id = (await connectionOf(repos)).id;
    const first = await repos.authRequests.createReauthorization(input(repos, id, 'U_ONE'));
    const second = await repos.authRequests.createReauthorization(input(repos, id, 'U_ONE'));
    if (!first.ok || !second.ok) throw new Error('expected both to be created');
    expect(await repos.authRequests.inspectLinkToken(first.linkToken)).toMatchObject({
      ok: false,
      code: 'link_used',
    });
    expect(await (await repos.authRequests.inspectLinkToken(second.linkToken)).ok).toBe(true);
  });
});

describe.each(DATABASE_KINDS)('activating with new scopes (%s)', (kind) => {
  it('stores the scopes chosen for the authorization with the tokens', async () => {
    const repos = createRepos(await openTestDatabase(kind));
    const connection = await connectionOf(repos);
    const result = await repos.connections.markActive(connection.id, {
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
