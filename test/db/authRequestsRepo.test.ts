import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/crypto.ts';
import { type AuthorizationStart, isSameBrowser } from '../../src/db/authRequestsRepo.ts';
import {
  createRepos,
  DATABASE_KINDS,
  newAuthRequest,
  newConnection,
  openTestDatabase,
  type Repos,
  tempDir,
} from './testDatabase.ts';

const LINK_TTL = 15 * 60_000;
const STATE_TTL = 10 * 60_000;

async function pendingRequest(repos: Repos) {
  const created = await repos.connections.createPending(newConnection());
  if (!created.ok) throw new Error('create failed');
  const { request, linkToken } = await repos.authRequests.create(
    newAuthRequest(created.connection.id, repos.clock, { requestedScopes: ['okta.users.read'] }),
  );
  return { connection: created.connection, request, linkToken };
}

const start = (repos: Repos, overrides: Partial<AuthorizationStart> = {}): AuthorizationStart => ({
  state: 'state-value-0123456789',
  browserBinding: 'cookie-value-0123456789',
  pkceVerifier: 'pkce-verifier-0123456789',
  nonce: 'nonce-value',
  clientSecret: 'typed-client-secret',
  expiresAt: repos.clock() + STATE_TTL,
  ...overrides,
});

async function begun(repos: Repos) {
  const pending = await pendingRequest(repos);
  const result = await repos.authRequests.beginAuthorization(pending.request.id, start(repos));
  if (!result.ok) throw new Error(`begin failed: ${result.code}`);
  return pending;
}

describe.each(DATABASE_KINDS)('authorization requests (%s)', (kind) => {
  const setup = async () => createRepos(await openTestDatabase(kind));
  const raw = async (repos: Repos, id: string) =>
    (await repos.handle.all(sql`SELECT * FROM auth_requests WHERE id = ${id}`))[0] as Record<
      string,
      unknown
    >;

  it('stores only hashes of the link token, state and browser cookie', async () => {
    const repos = await setup();
    const { request, linkToken } = await begun(repos);
    const row = await raw(repos, request.id);
    expect(row.link_token_hash).toBe(hashToken(linkToken));
    expect(row.state_hash).toBe(hashToken('state-value-0123456789'));
    expect(JSON.stringify(row)).not.toContain(linkToken);
    expect(JSON.stringify(row)).not.toContain('cookie-value-0123456789');
    for (const column of ['pkce_verifier', 'client_secret']) {
      expect(String(row[column]).startsWith('v1.')).toBe(true);
    }
    expect(JSON.stringify(row)).not.toContain('pkce-verifier-0123456789');
  });

  it('finds a request by its link until the link expires', async () => {
    const repos = await setup();
    const { request, linkToken } = await pendingRequest(repos);
    expect(await (await repos.authRequests.findByLinkToken(linkToken))?.id).toBe(request.id);
    expect(await repos.authRequests.findByLinkToken('some-other-token')).toBeNull();
    repos.clock.advance(LINK_TTL);
    expect(await repos.authRequests.findByLinkToken(linkToken)).toBeNull();
  });

  it('lets a link start an authorization only once', async () => {
    const repos = await setup();
    const { request } = await pendingRequest(repos);
    expect(await repos.authRequests.beginAuthorization(request.id, start(repos))).toEqual({
      ok: true,
    });
    expect(
      await repos.authRequests.beginAuthorization(request.id, start(repos, { state: 'x' })),
    ).toEqual({
      ok: false,
      code: 'link_used',
    });
  });

  it('does not start an authorization from an expired link', async () => {
    const repos = await setup();
    const { request } = await pendingRequest(repos);
    repos.clock.advance(LINK_TTL);
    expect(await repos.authRequests.beginAuthorization(request.id, start(repos))).toEqual({
      ok: false,
      code: 'expired',
    });
  });

  it('gives the request to the first consumer of a state and nothing to the second', async () => {
    const repos = await setup();
    const { request } = await begun(repos);
    const first = await repos.authRequests.consumeByState('state-value-0123456789', repos.clock());
    expect(first).toMatchObject({ id: request.id, nonce: 'nonce-value', hasClientSecret: true });
    expect(first?.consumedAt).toBe(repos.clock());
    expect(
      await repos.authRequests.consumeByState('state-value-0123456789', repos.clock()),
    ).toBeNull();
  });

  it('gives nothing for an expired state', async () => {
    const repos = await setup();
    await begun(repos);
    repos.clock.advance(STATE_TTL);
    expect(
      await repos.authRequests.consumeByState('state-value-0123456789', repos.clock()),
    ).toBeNull();
  });

  it('consumes by link token once, and the link is then dead', async () => {
    const repos = await setup();
    const { request, linkToken } = await pendingRequest(repos);
    expect(await (await repos.authRequests.consumeByLinkToken(linkToken, repos.clock()))?.id).toBe(
      request.id,
    );
    expect(await repos.authRequests.consumeByLinkToken(linkToken, repos.clock())).toBeNull();
    expect(await repos.authRequests.findByLinkToken(linkToken)).toBeNull();
  });

  it('recognizes the browser that posted the setup form, and only it', async () => {
    const repos = await setup();
    await begun(repos);
    const request = await repos.authRequests.consumeByState(
      'state-value-0123456789',
      repos.clock(),
    );
    expect(request && isSameBrowser(request, 'cookie-value-0123456789')).toBe(true);
    expect(request && isSameBrowser(request, 'another-browser')).toBe(false);
    expect(request && isSameBrowser(request, undefined)).toBe(false);
  });

  it('opens the verifier and typed secret of a consumed request only, then wipes them', async () => {
    const repos = await setup();
    const { request } = await begun(repos);
    expect(await repos.authRequests.openSecrets(request.id, ['pkceVerifier'])).toBeNull();
    await repos.authRequests.consumeByState('state-value-0123456789', repos.clock());
    const secrets = await repos.authRequests.openSecrets(request.id, [
      'pkceVerifier',
      'clientSecret',
    ]);
    expect(secrets?.pkceVerifier).toBe('pkce-verifier-0123456789');
    expect(secrets?.clientSecret).toBe('typed-client-secret');
    expect(JSON.stringify(secrets)).not.toContain('pkce-verifier');

    await repos.authRequests.recordOutcome(request.id, 'active');
    expect(await raw(repos, request.id)).toMatchObject({
      outcome: 'active',
      pkce_verifier: null,
      client_secret: null,
    });
  });

  it('says when no secret was typed, so the stored one is reused', async () => {
    const repos = await setup();
    const { request } = await pendingRequest(repos);
    await repos.authRequests.beginAuthorization(
      request.id,
      start(repos, { clientSecret: undefined }),
    );
    const consumed = await repos.authRequests.consumeByState(
      'state-value-0123456789',
      repos.clock(),
    );
    expect(consumed?.hasClientSecret).toBe(false);
  });

  it('deletes unusable requests at once and consumed ones after a grace period', async () => {
    const repos = await setup();
    const unused = await pendingRequest(repos);
    const consumed = await (async () => {
      const created = await repos.connections.createPending(newConnection({ nickname: 'second' }));
      if (!created.ok) throw new Error('create failed');
      const { request } = await repos.authRequests.create(
        newAuthRequest(created.connection.id, repos.clock),
      );
      await repos.authRequests.beginAuthorization(
        request.id,
        start(repos, { state: 'second-state' }),
      );
      await repos.authRequests.consumeByState('second-state', repos.clock());
      return request;
    })();
    repos.clock.advance(LINK_TTL);
    expect(await repos.authRequests.deleteExpired(repos.clock())).toBe(1);
    expect(await raw(repos, unused.request.id)).toBeUndefined();
    expect(await raw(repos, consumed.id)).toBeDefined();
    repos.clock.advance(60 * 60_000);
    expect(await repos.authRequests.deleteExpired(repos.clock())).toBe(1);
  });

  it('goes away with its connection (foreign key cascade)', async () => {
    const repos = await setup();
    const { connection, request } = await pendingRequest(repos);
    await repos.handle.run(sql`DELETE FROM connections WHERE id = ${connection.id}`);
    expect(await raw(repos, request.id)).toBeUndefined();
  });
});

describe('consuming a state from two connections to one file', () => {
  it('gives the request to exactly one of them', async () => {
    const path = join(tempDir(), 'shared.sqlite');
    const one = createRepos(await openTestDatabase('file', path));
    const two = createRepos(await openTestDatabase('file', path));
    await begun(one);
    const now = one.clock();
    const results = [
      await one.authRequests.consumeByState('state-value-0123456789', now),
      await two.authRequests.consumeByState('state-value-0123456789', now),
    ];
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });
});
