import { join } from 'node:path';
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

function pendingRequest(repos: Repos) {
  const created = repos.connections.createPending(newConnection());
  if (!created.ok) throw new Error('create failed');
  const { request, linkToken } = repos.authRequests.create(
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

function begun(repos: Repos) {
  const pending = pendingRequest(repos);
  const result = repos.authRequests.beginAuthorization(pending.request.id, start(repos));
  if (!result.ok) throw new Error(`begin failed: ${result.code}`);
  return pending;
}

describe.each(DATABASE_KINDS)('authorization requests (%s)', (kind) => {
  const setup = () => createRepos(openTestDatabase(kind));
  const raw = (repos: Repos, id: string) =>
    repos.handle.sqlite.prepare('SELECT * FROM auth_requests WHERE id = ?').get(id) as Record<
      string,
      unknown
    >;

  it('stores only hashes of the link token, state and browser cookie', () => {
    const repos = setup();
    const { request, linkToken } = begun(repos);
    const row = raw(repos, request.id);
    expect(row.link_token_hash).toBe(hashToken(linkToken));
    expect(row.state_hash).toBe(hashToken('state-value-0123456789'));
    expect(JSON.stringify(row)).not.toContain(linkToken);
    expect(JSON.stringify(row)).not.toContain('cookie-value-0123456789');
    for (const column of ['pkce_verifier', 'client_secret']) {
      expect(String(row[column]).startsWith('v1.')).toBe(true);
    }
    expect(JSON.stringify(row)).not.toContain('pkce-verifier-0123456789');
  });

  it('finds a request by its link until the link expires', () => {
    const repos = setup();
    const { request, linkToken } = pendingRequest(repos);
    expect(repos.authRequests.findByLinkToken(linkToken)?.id).toBe(request.id);
    expect(repos.authRequests.findByLinkToken('some-other-token')).toBeNull();
    repos.clock.advance(LINK_TTL);
    expect(repos.authRequests.findByLinkToken(linkToken)).toBeNull();
  });

  it('lets a link start an authorization only once', () => {
    const repos = setup();
    const { request } = pendingRequest(repos);
    expect(repos.authRequests.beginAuthorization(request.id, start(repos))).toEqual({ ok: true });
    expect(repos.authRequests.beginAuthorization(request.id, start(repos, { state: 'x' }))).toEqual(
      {
        ok: false,
        code: 'link_used',
      },
    );
  });

  it('does not start an authorization from an expired link', () => {
    const repos = setup();
    const { request } = pendingRequest(repos);
    repos.clock.advance(LINK_TTL);
    expect(repos.authRequests.beginAuthorization(request.id, start(repos))).toEqual({
      ok: false,
      code: 'expired',
    });
  });

  it('gives the request to the first consumer of a state and nothing to the second', () => {
    const repos = setup();
    const { request } = begun(repos);
    const first = repos.authRequests.consumeByState('state-value-0123456789', repos.clock());
    expect(first).toMatchObject({ id: request.id, nonce: 'nonce-value', hasClientSecret: true });
    expect(first?.consumedAt).toBe(repos.clock());
    expect(repos.authRequests.consumeByState('state-value-0123456789', repos.clock())).toBeNull();
  });

  it('gives nothing for an expired state', () => {
    const repos = setup();
    begun(repos);
    repos.clock.advance(STATE_TTL);
    expect(repos.authRequests.consumeByState('state-value-0123456789', repos.clock())).toBeNull();
  });

  it('consumes by link token once, and the link is then dead', () => {
    const repos = setup();
    const { request, linkToken } = pendingRequest(repos);
    expect(repos.authRequests.consumeByLinkToken(linkToken, repos.clock())?.id).toBe(request.id);
    expect(repos.authRequests.consumeByLinkToken(linkToken, repos.clock())).toBeNull();
    expect(repos.authRequests.findByLinkToken(linkToken)).toBeNull();
  });

  it('recognizes the browser that posted the setup form, and only it', () => {
    const repos = setup();
    begun(repos);
    const request = repos.authRequests.consumeByState('state-value-0123456789', repos.clock());
    expect(request && isSameBrowser(request, 'cookie-value-0123456789')).toBe(true);
    expect(request && isSameBrowser(request, 'another-browser')).toBe(false);
    expect(request && isSameBrowser(request, undefined)).toBe(false);
  });

  it('opens the verifier and typed secret of a consumed request only, then wipes them', () => {
    const repos = setup();
    const { request } = begun(repos);
    expect(repos.authRequests.openSecrets(request.id, ['pkceVerifier'])).toBeNull();
    repos.authRequests.consumeByState('state-value-0123456789', repos.clock());
    const secrets = repos.authRequests.openSecrets(request.id, ['pkceVerifier', 'clientSecret']);
    expect(secrets?.pkceVerifier).toBe('pkce-verifier-0123456789');
    expect(secrets?.clientSecret).toBe('typed-client-secret');
    expect(JSON.stringify(secrets)).not.toContain('pkce-verifier');

    repos.authRequests.recordOutcome(request.id, 'active');
    expect(raw(repos, request.id)).toMatchObject({
      outcome: 'active',
      pkce_verifier: null,
      client_secret: null,
    });
  });

  it('says when no secret was typed, so the stored one is reused', () => {
    const repos = setup();
    const { request } = pendingRequest(repos);
    repos.authRequests.beginAuthorization(request.id, start(repos, { clientSecret: undefined }));
    const consumed = repos.authRequests.consumeByState('state-value-0123456789', repos.clock());
    expect(consumed?.hasClientSecret).toBe(false);
  });

  it('deletes unusable requests at once and consumed ones after a grace period', () => {
    const repos = setup();
    const unused = pendingRequest(repos);
    const consumed = (() => {
      const created = repos.connections.createPending(newConnection({ nickname: 'second' }));
      if (!created.ok) throw new Error('create failed');
      const { request } = repos.authRequests.create(
        newAuthRequest(created.connection.id, repos.clock),
      );
      repos.authRequests.beginAuthorization(request.id, start(repos, { state: 'second-state' }));
      repos.authRequests.consumeByState('second-state', repos.clock());
      return request;
    })();
    repos.clock.advance(LINK_TTL);
    expect(repos.authRequests.deleteExpired(repos.clock())).toBe(1);
    expect(raw(repos, unused.request.id)).toBeUndefined();
    expect(raw(repos, consumed.id)).toBeDefined();
    repos.clock.advance(60 * 60_000);
    expect(repos.authRequests.deleteExpired(repos.clock())).toBe(1);
  });

  it('goes away with its connection (foreign key cascade)', () => {
    const repos = setup();
    const { connection, request } = pendingRequest(repos);
    repos.handle.sqlite.prepare('DELETE FROM connections WHERE id = ?').run(connection.id);
    expect(raw(repos, request.id)).toBeUndefined();
  });
});

describe('consuming a state from two connections to one file', () => {
  it('gives the request to exactly one of them', () => {
    const path = join(tempDir(), 'shared.sqlite');
    const one = createRepos(openTestDatabase('file', path));
    const two = createRepos(openTestDatabase('file', path));
    begun(one);
    const now = one.clock();
    const results = [
      one.authRequests.consumeByState('state-value-0123456789', now),
      two.authRequests.consumeByState('state-value-0123456789', now),
    ];
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });
});
