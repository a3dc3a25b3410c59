import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, afterEach, describe, inject } from 'vitest';
import { createKeyRing, type KeyRing } from '../../src/crypto.ts';
import { createApiKeysRepo } from '../../src/db/apiKeysRepo.ts';
import { createAuditRepo } from '../../src/db/auditRepo.ts';
import { createAuthRequestsRepo, type NewAuthRequest } from '../../src/db/authRequestsRepo.ts';
import {
  type Authorization,
  createConnectionsRepo,
  type NewConnection,
} from '../../src/db/connectionsRepo.ts';
import { createDeliveriesRepo } from '../../src/db/deliveriesRepo.ts';
import { createHomeViewersRepo } from '../../src/db/homeViewersRepo.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/openDatabase.ts';
import { openPostgres } from '../../src/db/openPostgres.ts';
import * as pgSchema from '../../src/db/schema.pg.ts';
import type { Store } from '../../src/db/store.ts';
import type { FlowDeps } from '../../src/flows/deps.ts';
import { createLogger } from '../../src/logger.ts';
import { OktaOrgs } from '../../src/okta/oktaOrgs.ts';

export const SQLITE_KINDS = ['file', 'memory'] as const;
export type SqliteKind = (typeof SQLITE_KINDS)[number];
export type DatabaseKind = SqliteKind | 'postgres';

const postgresUrl = inject('postgresUrl');

/**
 * Every store suite runs on each store: a SQLite file in WAL mode, SQLite `:memory:`, and
 * PostgreSQL when the test server is there (test/postgresSetup.ts says when it is not).
 */
export const DATABASE_KINDS: readonly DatabaseKind[] = postgresUrl
  ? [...SQLITE_KINDS, 'postgres']
  : SQLITE_KINDS;

/** For suites that need a PostgreSQL server of their own: skipped, with a notice, without one. */
export const describePostgres = postgresUrl ? describe : describe.skip;

export const KEY_A = Buffer.alloc(32, 0xa1);
export const KEY_B = Buffer.alloc(32, 0xb2);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh folder removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'okta-connect-db-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Opens a SQLite database of `kind` with the real migrations, closed after the test. */
export function openSqliteTestDatabase(kind: SqliteKind, path?: string): DatabaseHandle {
  const handle = openDatabase(
    kind === 'memory' ? ':memory:' : (path ?? join(tempDir(), 'test.sqlite')),
  );
  cleanups.push(() => handle.close());
  return handle;
}

/**
 * Opens a store of `kind` with the real migrations, empty, closed after the test. Two
 * opens with the same `shared` name within a test reach the same database, as two
 * processes would (for SQLite `shared` is the file's path).
 */
export async function openTestDatabase(kind: DatabaseKind, shared?: string): Promise<Store> {
  if (kind !== 'postgres') return openSqliteTestDatabase(kind, shared);
  const url = await ownPostgresDatabase();
  const store = await openPostgres(url, { poolSize: 4 });
  cleanups.push(() => store.close());
  if (shared === undefined || !sharedSeen.has(shared)) {
    if (shared !== undefined) sharedSeen.add(shared);
    await store.run(sql.raw(`TRUNCATE TABLE ${PG_TABLES.join(', ')} RESTART IDENTITY CASCADE`));
  }
  return store;
}

const sharedSeen = new Set<string>();
afterEach(() => sharedSeen.clear());

const PG_TABLES = Object.values(pgSchema)
  .filter((value) => is(value, PgTable))
  .map((table) => `"${getTableName(table as PgTable)}"`);

let ownDatabase: Promise<string> | undefined;
const createdDatabases: string[] = [];

/** A database of this test file's own, created once and dropped after the file. */
function ownPostgresDatabase(): Promise<string> {
  ownDatabase ??= emptyPostgresDatabase();
  return ownDatabase;
}

/** A new, empty database (no migrations), dropped after the test file: its URL. */
export async function emptyPostgresDatabase(): Promise<string> {
  const name = `okta_connect_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  createdDatabases.push(name);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

afterAll(async () => {
  for (const name of createdDatabases.splice(0)) {
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
});

/** A statement as the test server's admin (outside any test database). */
export async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
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
  handle: Store,
  ring: KeyRing = createKeyRing(KEY_A),
  clock = manualClock(),
) {
  return {
    handle,
    ring,
    clock,
    connections: createConnectionsRepo(handle, ring, clock),
    authRequests: createAuthRequestsRepo(handle, ring, clock),
    audit: createAuditRepo(handle, clock),
    apiKeys: createApiKeysRepo(handle, clock),
    deliveries: createDeliveriesRepo(handle, clock),
    homeViewers: createHomeViewersRepo(handle),
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
    deliveries: repos.deliveries,
    homeViewers: repos.homeViewers,
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
export async function activeConnection(
  repos: Repos,
  connection: Partial<NewConnection> = {},
  auth: Partial<Authorization> = {},
) {
  const created = await repos.connections.createPending(newConnection(connection));
  if (!created.ok) throw new Error(`create failed: ${created.code}`);
  const activated = await repos.connections.markActive(created.connection.id, authorization(auth));
  if (!activated.ok) throw new Error(`activate failed: ${activated.code}`);
  return activated.connection;
}

/** A connection's row as stored, sealed columns included (column names as in the table). */
export async function rawConnection(repos: Repos, id: string): Promise<Record<string, unknown>> {
  const [row] = await repos.handle.all<Record<string, unknown>>(
    sql`SELECT * FROM connections WHERE id = ${id}`,
  );
  if (!row) throw new Error(`no connection ${id}`);
  return row;
}
