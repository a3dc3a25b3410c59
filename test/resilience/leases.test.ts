import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { REFRESH_LEASE_MS } from '../../src/db/connectionUpkeep.ts';
import {
  expireLeasesOfStoppedProcesses,
  isProcessRunning,
  parseLeaseOwner,
  processLeaseOwner,
} from '../../src/flows/leaseOwners.ts';
import { refreshConnection } from '../../src/flows/refreshConnection.ts';
import { startConnection } from '../../src/flows/startConnection.ts';
import { createLogger } from '../../src/logger.ts';
import { activeConnection, createRepos, openSqliteTestDatabase } from '../db/testDatabase.ts';
import { type Harness, startHarness } from '../e2e/harness.ts';
import { offsetClock, seedActiveConnections } from '../e2e/seed.ts';

/**
 * What makes the crash and race tests of issue 5 hold, tested without processes: the
 * refresh lease across a rate-gate wait, the recovery of leases left by a stopped
 * process, and the one-transaction start of a connection.
 */

const MINUTE = 60_000;
const quiet = createLogger('silent');

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the refresh lease', () => {
  it('keeps a refresher whose lease ran out while it waited for the rate gate from spending a refresh token another process already used', async () => {
    const clock = offsetClock();
    h = await startHarness({
      now: clock,
      refreshToken: { rotation: 'ROTATE', leewaySeconds: 0 },
    });
    const harness = h;
    const [connection] = await seedActiveConnections(harness, 1, { now: clock() });
    if (!connection) throw new Error('no connection');
    const advance = (ms: number) => {
      clock.advance(ms);
      harness.okta.clock.advance(ms);
    };
    advance(55 * MINUTE);

    let other: Awaited<ReturnType<typeof refreshConnection>> | undefined;
    const slow = await refreshConnection(harness.bot.flows, connection, {
      owner: 'slow-process',
      // The org's rate-limit window is spent: the gate holds this refresher past its
      // lease, and another process takes the connection and refreshes it meanwhile.
      onOktaCall: async () => {
        advance(REFRESH_LEASE_MS + 1000);
        other = await refreshConnection(harness.bot.flows, connection, { owner: 'other-process' });
        return () => undefined;
      },
    });

    expect(other?.kind).toBe('refreshed');
    expect(slow.kind).toBe('lease_lost');
    expect(harness.okta.countRequests('/oauth2/v1/token', 400)).toBe(0);
    expect(harness.okta.authorizations()[0]?.revoked).toBe(false);
    const after = await harness.bot.flows.connections.findById(connection.teamId, connection.id);
    expect(after).toMatchObject({ status: 'active', leaseOwner: null });
  });
});

describe('leases left by a stopped process', () => {
  const setup = () => {
    const repos = createRepos(openSqliteTestDatabase('file'));
    const deps = { connections: repos.connections, logger: quiet, now: repos.clock };
    const take = async (owner: string) => {
      const { id } = await activeConnection(repos, { nickname: `c-${owner.replace(/\W/g, '')}` });
      expect(await repos.connections.tryTakeLease(id, owner, repos.clock())).toBe(true);
      return id;
    };
    return { repos, deps, take };
  };
  const self = { host: 'bot-host', pid: 4242 };
  const running = (pid: number) => pid === 1111;

  it('are ended at start-up for a pid that no longer runs on this host, or an earlier life of this pid', async () => {
    const { repos, deps, take } = setup();
    const dead = await take('bot-host:999:aaaa');
    const deadApi = await take('bot-host:999:aaaa:api');
    const earlierLife = await take('bot-host:4242:bbbb');
    const alive = await take('bot-host:1111:cccc');
    const otherHost = await take('other-host:999:dddd');
    const unknownForm = await take('test:abcdef');

    expect(await expireLeasesOfStoppedProcesses(deps, self, running)).toBe(3);

    const leaseOf = async (id: string) => await repos.connections.findById('T_ACME', id);
    const now = repos.clock();
    // Ended, but the owner stays, so that the next refresher knows the last one was cut short.
    for (const id of [dead, deadApi, earlierLife]) {
      expect((await leaseOf(id))?.leaseOwner).not.toBeNull();
      expect((await leaseOf(id))?.leaseExpiresAt).toBeLessThanOrEqual(now);
      expect(await repos.connections.tryTakeLease(id, 'next', now)).toBe(true);
    }
    for (const id of [alive, otherHost, unknownForm]) {
      expect((await leaseOf(id))?.leaseExpiresAt).toBe(now + REFRESH_LEASE_MS);
      expect(await repos.connections.tryTakeLease(id, 'next', now)).toBe(false);
    }
  });

  it('reads the owner form the bot writes, and tells a running process from a gone one', () => {
    const owner = processLeaseOwner();
    expect(parseLeaseOwner(owner)).toEqual({ host: hostname(), pid: process.pid });
    expect(parseLeaseOwner('bot-host:77:ab12:api')).toEqual({ host: 'bot-host', pid: 77 });
    expect(parseLeaseOwner('test:abcdef')).toBeNull();
    expect(isProcessRunning(process.pid)).toBe(true);
    // Far above Linux's default pid_max (4194304 at most).
    expect(isProcessRunning(2 ** 22 + 12_345)).toBe(false);
  });
});

describe('starting a connection', () => {
  it('writes the pending connection, its auth request and the audit entry together: a failure in between leaves none of them', async () => {
    const handle = openSqliteTestDatabase('file');
    const repos = createRepos(handle);
    const flows = {
      connections: repos.connections,
      authRequests: {
        ...repos.authRequests,
        create: () => {
          throw new Error('killed between the two writes');
        },
      },
      audit: repos.audit,
      settings: { publicUrl: 'https://bot.example' },
      now: repos.clock,
    } as unknown as Parameters<typeof startConnection>[0];
    const input = {
      teamId: 'T_ACME',
      actor: 'U_ADMIN',
      orgKind: 'other' as const,
      nickname: 'acme-prod',
      domain: 'acme.okta.com',
      clientId: '0oa1client',
      clientAuth: 'client_secret_basic' as const,
      notifyChannel: null,
      scopeMode: 'default' as const,
      scopes: ['okta.users.read'],
    };
    await expect(startConnection(flows, input)).rejects.toThrow(/killed between/);
    expect(await repos.connections.findByNickname('T_ACME', 'acme-prod')).toBeNull();
    const count = (table: string) =>
      (handle.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    expect([count('connections'), count('auth_requests'), count('audit_events')]).toEqual([
      0, 0, 0,
    ]);

    // And with nothing failing, all three are there.
    const started = await startConnection({ ...flows, authRequests: repos.authRequests }, input);
    expect(started.ok).toBe(true);
    expect([count('connections'), count('auth_requests'), count('audit_events')]).toEqual([
      1, 1, 1,
    ]);
  });
});
