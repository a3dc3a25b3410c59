import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFRESH_LEASE_MS } from '../../src/db/connectionUpkeep.ts';
import {
  activeConnection,
  authorization,
  createRepos,
  DATABASE_KINDS,
  openTestDatabase,
  REFRESH_TOKEN,
  type Repos,
  tempDir,
} from './testDatabase.ts';

/** An active connection whose access token expires at `accessExpiresAt`. */
const activate = (
  repos: Repos,
  nickname = 'Prod Org',
  accessExpiresAt = repos.clock() + 3_600_000,
) => activeConnection(repos, { nickname }, { accessExpiresAt });

const newTokens = {
  accessToken: 'eyJ.second-access',
  refreshToken: 'second-refresh',
  accessExpiresAt: 1,
};

describe.each(DATABASE_KINDS)('refresh lease (%s)', (kind) => {
  const setup = () => createRepos(openTestDatabase(kind));

  it('is held by one owner at a time until it expires', () => {
    const repos = setup();
    const { id } = activate(repos);
    const now = repos.clock();
    expect(repos.connections.tryTakeLease(id, 'sweep-1', now, REFRESH_LEASE_MS)).toBe(true);
    expect(repos.connections.tryTakeLease(id, 'sweep-2', now + 1, REFRESH_LEASE_MS)).toBe(false);
    expect(
      repos.connections.tryTakeLease(id, 'sweep-2', now + REFRESH_LEASE_MS, REFRESH_LEASE_MS),
    ).toBe(true);
    expect(repos.connections.findById('T_ACME', id)?.leaseOwner).toBe('sweep-2');
  });

  it('is free again once released by its owner, and only by its owner', () => {
    const repos = setup();
    const { id } = activate(repos);
    const now = repos.clock();
    repos.connections.tryTakeLease(id, 'sweep-1', now, REFRESH_LEASE_MS);
    expect(repos.connections.releaseLease(id, 'sweep-2')).toBe(false);
    expect(repos.connections.releaseLease(id, 'sweep-1')).toBe(true);
    expect(repos.connections.tryTakeLease(id, 'sweep-2', now, REFRESH_LEASE_MS)).toBe(true);
  });

  it('is never given on a connection that is not active', () => {
    const repos = setup();
    const { id } = activate(repos);
    repos.connections.markNeedsReauth(id, 'invalid_grant', null);
    expect(repos.connections.tryTakeLease(id, 'sweep-1', repos.clock(), REFRESH_LEASE_MS)).toBe(
      false,
    );
  });

  it('saves the rotated tokens and releases the lease in one step', () => {
    const repos = setup();
    const { id, version } = activate(repos);
    repos.connections.tryTakeLease(id, 'sweep-1', repos.clock(), REFRESH_LEASE_MS);
    expect(repos.connections.saveRefreshedTokensAndRelease(id, 'sweep-1', newTokens)).toBe(true);
    const secrets = repos.connections.readSecrets(id, ['accessToken', 'refreshToken']);
    expect([secrets?.accessToken, secrets?.refreshToken]).toEqual([
      'eyJ.second-access',
      'second-refresh',
    ]);
    expect(repos.connections.findById('T_ACME', id)).toMatchObject({
      leaseOwner: null,
      accessExpiresAt: 1,
      version,
    });
  });

  it('keeps the stored refresh token when Okta did not rotate it', () => {
    const repos = setup();
    const { id } = activate(repos);
    repos.connections.tryTakeLease(id, 'sweep-1', repos.clock(), REFRESH_LEASE_MS);
    repos.connections.saveRefreshedTokensAndRelease(id, 'sweep-1', {
      ...newTokens,
      refreshToken: null,
    });
    expect(repos.connections.readSecrets(id, ['refreshToken'])?.refreshToken).toBe(REFRESH_TOKEN);
  });

  it('refuses to save tokens once another owner took the lease', () => {
    const repos = setup();
    const { id } = activate(repos);
    const now = repos.clock();
    repos.connections.tryTakeLease(id, 'slow-sweep', now, REFRESH_LEASE_MS);
    repos.connections.tryTakeLease(id, 'next-sweep', now + REFRESH_LEASE_MS, REFRESH_LEASE_MS);
    expect(repos.connections.saveRefreshedTokensAndRelease(id, 'slow-sweep', newTokens)).toBe(
      false,
    );
    expect(repos.connections.readSecrets(id, ['refreshToken'])?.refreshToken).toBe(REFRESH_TOKEN);
  });

  it('refuses to save tokens from before a reauthorization', () => {
    const repos = setup();
    const { id } = activate(repos);
    repos.connections.tryTakeLease(id, 'sweep-1', repos.clock(), REFRESH_LEASE_MS);
    repos.connections.markActive(id, authorization({ refreshToken: 'reauthorized-refresh' }));
    expect(repos.connections.saveRefreshedTokensAndRelease(id, 'sweep-1', newTokens)).toBe(false);
    expect(repos.connections.readSecrets(id, ['refreshToken'])?.refreshToken).toBe(
      'reauthorized-refresh',
    );
  });

  it('lists active connections expiring soon or unchecked for long, skipping leased ones', () => {
    const repos = setup();
    const now = repos.clock();
    activate(repos, 'soon', now + 60_000);
    activate(repos, 'later', now + 3_600_000);
    const leased = activate(repos, 'leased', now + 60_000);
    const broken = activate(repos, 'broken', now + 60_000);
    repos.connections.markNeedsReauth(broken.id, 'invalid_grant', null);
    repos.connections.tryTakeLease(leased.id, 'sweep-1', now, REFRESH_LEASE_MS);
    const options = { expiringWithinMs: 300_000, uncheckedForMs: 86_400_000, limit: 10 };
    const due = (at: number) =>
      repos.connections.listDueForRefresh(at, options).map((c) => c.nickname);

    expect(due(now)).toEqual(['soon']);
    expect(due(now + 86_400_000).sort()).toEqual(['later', 'leased', 'soon']);
  });
});

describe('refresh lease across connections to one file', () => {
  it('goes to exactly one of two processes that ask at the same moment', () => {
    const path = join(tempDir(), 'shared.sqlite');
    const one = createRepos(openTestDatabase('file', path));
    const two = createRepos(openTestDatabase('file', path));
    const { id } = activate(one);
    const now = one.clock();
    const wins = [
      one.connections.tryTakeLease(id, 'process-1', now, REFRESH_LEASE_MS),
      two.connections.tryTakeLease(id, 'process-2', now, REFRESH_LEASE_MS),
    ];
    expect(wins).toEqual([true, false]);
    expect(two.connections.saveRefreshedTokensAndRelease(id, 'process-2', newTokens)).toBe(false);
    expect(one.connections.saveRefreshedTokensAndRelease(id, 'process-1', newTokens)).toBe(true);
    expect(two.connections.readSecrets(id, ['refreshToken'])?.refreshToken).toBe('second-refresh');
  });
});
