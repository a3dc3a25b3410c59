import type Database from 'better-sqlite3';
import { generateClientKey } from '../../src/clientCredential.ts';
import { type KeyRing, randomToken } from '../../src/crypto.ts';
import { SEALED_COLUMNS } from '../../src/db/rotateKeys.ts';
import { openColumn } from '../../src/db/sealedColumns.ts';
import { activeConnection, newAuthRequest, newConnection, type Repos } from './testDatabase.ts';

export const KEY_C = Buffer.alloc(32, 0xc3);

/** `table.column:rowId` → what was sealed there. */
export type Plaintexts = Map<string, string>;

/**
 * A database as a rotation finds it: active connections (client secret, access and
 * refresh token), authorizations in progress (PKCE verifier and a typed client secret),
 * and a pending connection with no secret at all. Every plaintext is distinct and
 * recognizable, and returned by where it is stored.
 */
export async function seedSealedValues(repos: Repos, connectionCount = 3): Promise<Plaintexts> {
  const plaintexts: Plaintexts = new Map();
  for (let n = 1; n <= connectionCount; n++) {
    const secrets = {
      clientSecret: `plain-client-secret-${n}`,
      accessToken: `plain-access-token-${n}`,
      refreshToken: `plain-refresh-token-${n}`,
    };
    const { id } = await activeConnection(repos, { nickname: `Org ${n}` }, secrets);
    plaintexts.set(`connections.client_secret:${id}`, secrets.clientSecret);
    plaintexts.set(`connections.access_token:${id}`, secrets.accessToken);
    plaintexts.set(`connections.refresh_token:${id}`, secrets.refreshToken);
    if (n > 2) continue;
    const { request } = await repos.authRequests.create(
      newAuthRequest(id, repos.clock, {
        purpose: 'reauthorize',
        connectionVersion: 2,
        requestedScopes: ['okta.users.read'],
      }),
    );
    const start = {
      state: randomToken(),
      browserBinding: randomToken(),
      pkceVerifier: `plain-pkce-verifier-${n}`,
      nonce: randomToken(),
      clientSecret: `plain-typed-secret-${n}`,
      expiresAt: repos.clock() + 600_000,
    };
    await repos.authRequests.beginAuthorization(request.id, start);
    plaintexts.set(`auth_requests.pkce_verifier:${request.id}`, start.pkceVerifier);
    plaintexts.set(`auth_requests.client_secret:${request.id}`, start.clientSecret);
  }
  await repos.connections.createPending(newConnection({ nickname: 'Not yet authorized' }));
  return plaintexts;
}

/** A key-pair connection in the middle of a key rotation: its current and pending private key. */
export async function seedKeyPairConnection(repos: Repos): Promise<Plaintexts> {
  const current = generateClientKey();
  const created = await repos.connections.createPending(
    newConnection({ nickname: 'Key pair', clientKey: current }),
  );
  if (!created.ok) throw new Error('seeding the key-pair connection failed');
  const { id } = created.connection;
  const pending = generateClientKey();
  await repos.connections.storePendingKey(id, pending);
  return new Map([
    [`connections.client_private_key:${id}`, current.privateKey],
    [`connections.pending_private_key:${id}`, pending.privateKey],
  ]);
}

/** Every stored sealed value, raw, by `table.column:rowId`. */
export function sealedSnapshot(sqlite: Database.Database): Map<string, string> {
  const snapshot = new Map<string, string>();
  for (const [table, columns] of Object.entries(SEALED_COLUMNS)) {
    for (const column of columns) {
      const rows = sqlite
        .prepare(`SELECT id, ${column} AS sealed FROM ${table} WHERE ${column} IS NOT NULL`)
        .all() as { id: string; sealed: string }[];
      for (const row of rows) snapshot.set(`${table}.${column}:${row.id}`, row.sealed);
    }
  }
  return snapshot;
}

/** The key id recorded in a sealed value (`v1.<keyId>.…`). */
export function keyIdIn(sealed: string): string {
  return sealed.split('.')[1] ?? '';
}

/** Opens every stored value with `ring`, by place; throws if one does not open. */
export function openAll(sqlite: Database.Database, ring: KeyRing): Plaintexts {
  const opened: Plaintexts = new Map();
  for (const [place, sealed] of sealedSnapshot(sqlite)) {
    const [where = '', id = ''] = place.split(':');
    const [table = '', column = ''] = where.split('.');
    opened.set(place, openColumn(ring, table, column, id, sealed)!);
  }
  return opened;
}
