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
  const setup = async () => createRepos(await openTestDatabase(kind));

  it('is held by one owner at a time until it expires', async () => {
    const repos = await setup();
    const { id } = await activate(repos);
    const now = repos.clock();
    expect(await repos.connections.tryTakeLease(id, 'sweep-1', now, REFRESH_LEASE_MS)).toBe(true);
    expect(await repos.connections.tryTakeLease(id, 'sweep-2', now + 1, REFRESH_LEASE_MS)).toBe(
      false,
    );
    expect(
      await repos.connections.tryTakeLease(id, 'sweep-2', now + REFRESH_LEASE_MS, REFRESH_LEASE_MS),
    ).toBe(true);
    expect(await (await repos.connections.findById('T_ACME', id))?.leaseOwner).toBe('sweep-2');
  });

  it('is free again once released by its owner, and only by its owner', async () => {
    const repos = await setup();
    const { id } = await activate(repos);
    const now = repos.clock();
    await repos.connections.tryTakeLease(id, 'sweep-1', now, REFRESH_LEASE_MS);
    expect(await repos.connections.releaseLease(id, 'sweep-2')).toBe(false);
    expect(await repos.connections.releaseLease(id, 'sweep-1')).toBe(true);
    expect(await repos.connections.tryTakeLease(id, 'sweep-2', now, REFRESH_LEASE_MS)).toBe(true);
  });

  it('is never given on a connection that is not active', async () => {
    const repos = await setup();
    const { id } = await activate(repos);
    await repos.connections.markNeedsReauth(id, 'invalid_grant', null);
    expect(
      await repos.connections.tryTakeLease(id, 'sweep-1', repos.clock(), REFRESH_LEASE_MS),
    ).toBe(false);
  });

  it('saves the rotated tokens and releases the lease in one step', async () => {
    const repos = await setup();
    const { id, version } = await activate(repos);
    await repos.connections.tryTakeLease(id, 'sweep-1', repos.clock(), REFRESH_LEASE_MS);
    expect(await repos.connections.saveRefreshedTokensAndRelease(id, 'sweep-1', newTokens)).toBe(
      true,
    );
    const secrets = await repos.connections.readSecrets(id, ['accessToken', 'refreshToken']);
    expect([secrets?.accessToken, secrets?.refreshToken]).toEqual([
      'eyJ.second-access',
      'second-refresh',
    ]);
    expect(await repos.connections.findById('T_ACME', id)).toMatchObject({
      leaseOwner: null,
      accessExpiresAt: 1,
      version,
    });
  });

  it('keeps the stored refresh token when Okta did not rotate it', async () => {
    const repos = await setup();
    const { id } = await activate(repos);
    await repos.connections.tryTakeLease(id, 'sweep-1', repos.clock(), REFRESH_LEASE_MS);
    await repos.connections.saveRefreshedTokensAndRelease(id, 'sweep-1', {
      ...newTokens,
      refreshToken: null,
    });
    expect(await (await repos.connections.readSecrets(id, ['refreshToken']))?.refreshToken).toBe(
      REFRESH_TOKEN,
    );
  });

  it('refuses to save tokens once another owner took the lease', async () => {
    const repos = await setup();
    const { id } = await activate(repos);
    const now = repos.clock();
    await repos.connections.tryTakeLease(id, 'slow-sweep', now, REFRESH_LEASE_MS);
    await repos.connections.tryTakeLease(
      id,
      'next-sweep',
      now + REFRESH_LEASE_MS,
      REFRESH_LEASE_MS,
    );
    expect(await repos.connections.saveRefreshedTokensAndRelease(id, 'slow-sweep', newTokens)).toBe(
      false,
    );
    expect(await (await repos.connections.readSecrets(id, ['refreshToken']))?.refreshToken).toBe(
      REFRESH_TOKEN,
    );
  });

  it('refuses to save tokens from before a reauthorization', async () => {
    const repos = await setup();
    const { id } = await activate(repos);
    await repos.connections.tryTakeLease(id, 'sweep-1', repos.clock(), REFRESH_LEASE_MS);
    await repos.connections.markActive(id, authorization({ refreshToken: 'reauthorized-refresh' }));
    expect(await repos.connections.saveRefreshedTokensAndRelease(id, 'sweep-1', newTokens)).toBe(
      false,
    );
    expect(await (await repos.connections.readSecrets(id, ['refreshToken']))?.refreshToken).toBe(
      'reauthorized-refresh',
    );
  });

  it('lists active connections expiring soon or unchecked for long, skipping leased ones', async () => {
    const repos = await setup();
    const now = repos.clock();
    await activate(repos, 'soon', now + 60_000);
    await activate(repos, 'later', now + 3_600_000);
    const leased = await activate(repos, 'leased', now + 60_000);
    const broken = await activate(repos, 'broken', now + 60_000);
    await repos.connections.markNeedsReauth(broken.id, 'invalid_grant', null);
    await repos.connections.tryTakeLease(leased.id, 'sweep-1', now, REFRESH_LEASE_MS);
    const options = { expiringWithinMs: 300_000, uncheckedForMs: 86_400_000, limit: 10 };
    const due = async (at: number) =>
      await (await repos.connections.listDueForRefresh(at, options)).map((c) => c.nickname);

    expect(await due(now)).toEqual(['soon']);
    expect((await due(now + 86_400_000)).sort()).toEqual(['later', 'leased', 'soon']);
  });
});

describe('refresh lease across connections to one file', () => {
  it('goes to exactly one of two processes that ask at the same moment', async () => {
    const path = join(tempDir(), 'shared.sqlite');
    const one = createRepos(await openTestDatabase('file', path));
    const two = createRepos(await openTestDatabase('file', path));
    const { id } = await activate(one);
    const now = one.clock();
    const wins = [
      await one.connections.tryTakeLease(id, 'process-1', now, REFRESH_LEASE_MS),
      await two.connections.tryTakeLease(id, 'process-2', now, REFRESH_LEASE_MS),
    ];
    expect(wins).toEqual([true, false]);
    expect(await two.connections.saveRefreshedTokensAndRelease(id, 'process-2', newTokens)).toBe(
      false,
    );
    expect(await one.connections.saveRefreshedTokensAndRelease(id, 'process-1', newTokens)).toBe(
      true,
    );
    expect(await (await two.connections.readSecrets(id, ['refreshToken']))?.refreshToken).toBe(
      'second-refresh',
    );
  });
});
