import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createKeyRing, type KeyRing } from '../../src/crypto.ts';
import { createApiKeysRepo } from '../../src/db/apiKeysRepo.ts';
import { createAuditRepo } from '../../src/db/auditRepo.ts';
import { createAuthRequestsRepo, type NewAuthRequest } from '../../src/db/authRequestsRepo.ts';
import {
  type Authorization,
  createConnectionsRepo,
  type NewConnection,
} from '../../src/db/connectionsRepo.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/openDatabase.ts';
import type { FlowDeps } from '../../src/flows/deps.ts';
import { createLogger } from '../../src/logger.ts';
import { OktaOrgs } from '../../src/okta/oktaOrgs.ts';

/** Every database suite runs on both: a real file in WAL mode, and `:memory:`. */
export const DATABASE_KINDS = ['file', 'memory'] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

export const KEY_A = Buffer.alloc(32, 0xa1);
export const KEY_B = Buffer.alloc(32, 0xb2);

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A fresh folder removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'okta-connect-db-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Opens a database of `kind` with the real migrations, closed after the test. */
export function openTestDatabase(kind: DatabaseKind, path?: string): DatabaseHandle {
  const handle = openDatabase(
    kind === 'memory' ? ':memory:' : (path ?? join(tempDir(), 'test.sqlite')),
  );
  cleanups.push(() => {
    if (handle.sqlite.open) handle.close();
  });
  return handle;
}

/** A clock the test moves by hand. */
export function manualClock(start = 1_700_000_000_000) {
  let now = start;
  const clock = () => now;
  clock.advance = (ms: number) => {
    now += ms;
  };
  return clock;
}

export function createRepos(
  handle: DatabaseHandle,
  ring: KeyRing = createKeyRing(KEY_A),
  clock = manualClock(),
) {
  return {
    handle,
    ring,
    clock,
    connections: createConnectionsRepo(handle.db, ring, clock),
    authRequests: createAuthRequestsRepo(handle.db, ring, clock),
    audit: createAuditRepo(handle.db, clock),
    apiKeys: createApiKeysRepo(handle.db, clock),
  };
}

export function newConnection(overrides: Partial<NewConnection> = {}): NewConnection {
  return {
    teamId: 'T_ACME',
    nickname: 'Prod Org',
    orgKind: 'home',
    domain: 'acme.okta.com',
    clientId: '0oa1client',
    scopeMode: 'default',
    requestedScopes: ['okta.users.read', 'okta.logs.read'],
    createdBy: 'U_ADMIN',
    notifyChannel: 'C_OPS',
    ...overrides,
  };
}

/** What `authRequests.create` takes for a setup link, valid 15 minutes from `clock()`. */
export function newAuthRequest(
  connectionId: string,
  clock: () => number,
  overrides: Partial<NewAuthRequest> = {},
): NewAuthRequest {
  return {
    connectionId,
    teamId: 'T_ACME',
    purpose: 'create',
    scopeMode: 'default',
    connectionVersion: 1,
    requestedScopes: [],
    slackUserId: 'U_ADMIN',
    expiresAt: clock() + 900_000,
    ...overrides,
  };
}

export const ACCESS_TOKEN = 'eyJraWQiOiJhY2Nlc3MifQ.access-token-plaintext';
export const REFRESH_TOKEN = 'refresh-token-plaintext-0123456789';
export const CLIENT_SECRET = 'client-secret-plaintext-abcdef';

/** What a successful callback hands to `markActive`. */
export function authorization(overrides: Partial<Authorization> = {}): Authorization {
  return {
    grantedScopes: ['okta.users.read'],
    accessToken: ACCESS_TOKEN,
    refreshToken: REFRESH_TOKEN,
    accessExpiresAt: 1_700_003_600_000,
    authorizedSub: '00u1admin',
    authorizedLogin: 'admin@acme.com',
    authorizedBy: 'U_ADMIN',
    clientSecret: CLIENT_SECRET,
    ...overrides,
  };
}

export type Repos = ReturnType<typeof createRepos>;

/** What flows get in the bot, on these repositories and clock: no home org, no alert channel. */
export function flowDeps(repos: Repos): FlowDeps {
  return {
    connections: repos.connections,
    authRequests: repos.authRequests,
    audit: repos.audit,
    apiKeys: repos.apiKeys,
    orgs: new OktaOrgs(),
    settings: {
      publicUrl: 'http://127.0.0.1:3000',
      redirectUri: 'http://127.0.0.1:3000/oauth/okta/callback',
      defaultScopes: [],
      extraDomains: [],
      home: null,
      notifyChannel: null,
    },
    logger: createLogger('silent'),
    now: repos.clock,
  };
}

/** A connection taken through create and a successful authorization. */
export function activeConnection(
  repos: Repos,
  connection: Partial<NewConnection> = {},
  auth: Partial<Authorization> = {},
) {
  const created = repos.connections.createPending(newConnection(connection));
  if (!created.ok) throw new Error(`create failed: ${created.code}`);
  const activated = repos.connections.markActive(created.connection.id, authorization(auth));
  if (!activated.ok) throw new Error(`activate failed: ${activated.code}`);
  return activated.connection;
}

/** A connection's row as stored, sealed columns included. */
export function rawConnection(repos: Repos, id: string): Record<string, unknown> {
  return repos.handle.sqlite.prepare('SELECT * FROM connections WHERE id = ?').get(id) as Record<
    string,
    unknown
  >;
}
