import { and, eq, sql } from 'drizzle-orm';
import type { GeneratedClientKey } from '../clientCredential.ts';
import type { KeyRing } from '../crypto.ts';
import type { Clock } from './clock.ts';
import {
  CONNECTION_SECRET_COLUMNS,
  type Connection,
  live,
  sealConnectionSecret,
  toConnection,
} from './connectionModel.ts';
import { connections as sqliteConnections } from './schema.ts';
import { openColumn } from './sealedColumns.ts';
import type { Store } from './store.ts';

/** Rendered by column name, so the same condition serves either dialect. */
const usesKeys = eq(sqliteConnections.clientAuthMethod, 'private_key_jwt');

/**
 * Rotating a connection's key pair: a new key waits as "pending" until the admin says
 * Okta has its public half and the bot has seen Okta accept it; only then does it
 * replace the current one. The current key keeps working all along, so a rotation
 * abandoned half way breaks nothing.
 */
export function createClientKeyChanges(store: Store, ring: KeyRing, clock: Clock) {
  const { db } = store;
  const { connections } = store.tables;
  const update = async (
    id: string,
    values: Partial<typeof connections.$inferInsert>,
    ...conditions: ReturnType<typeof eq>[]
  ): Promise<Connection | null> => {
    const [row] = await db
      .update(connections)
      .set({ ...values, version: sql`${connections.version} + 1`, updatedAt: clock() })
      .where(and(eq(connections.id, id), live, usesKeys, ...conditions))
      .returning();
    return row ? toConnection(row) : null;
  };

  return {
    /** Replaces any earlier pending key. `null`: gone, or not a key-pair connection. */
    storePendingKey(id: string, key: GeneratedClientKey): Promise<Connection | null> {
      return update(id, {
        pendingPublicJwk: JSON.stringify(key.publicJwk),
        pendingPrivateKey: sealConnectionSecret(ring, 'pendingPrivateKey', id, key.privateKey),
        pendingKeyCreatedAt: clock(),
      });
    },

    /**
     * The pending key becomes the current one, if it is still the key `keyId` (another
     * admin may have started a newer rotation meanwhile). The old private key is gone
     * after this; its public half stays in Okta until the admin removes it.
     */
    promotePendingKey(id: string, keyId: string): Promise<Connection | null> {
      return store.transaction(async () => {
        await store.lockRow('connections', id);
        const [row] = await db
          .select()
          .from(connections)
          .where(and(eq(connections.id, id), live, usesKeys));
        if (!row?.pendingPublicJwk || !row.pendingPrivateKey) return null;
        if (toConnection(row).pendingClientKey?.jwk.kid !== keyId) return null;
        const privateKey = openColumn(
          ring,
          'connections',
          CONNECTION_SECRET_COLUMNS.pendingPrivateKey,
          id,
          row.pendingPrivateKey,
        );
        if (privateKey === null) return null;
        return update(id, {
          clientPublicJwk: row.pendingPublicJwk,
          // Sealed values are bound to their column: the key is sealed again for its new one.
          clientPrivateKey: sealConnectionSecret(ring, 'clientPrivateKey', id, privateKey),
          pendingPublicJwk: null,
          pendingPrivateKey: null,
          pendingKeyCreatedAt: null,
        });
      });
    },

    /** Abandons a rotation: the current key stays. */
    dropPendingKey(id: string): Promise<Connection | null> {
      return update(id, {
        pendingPublicJwk: null,
        pendingPrivateKey: null,
        pendingKeyCreatedAt: null,
      });
    },
  };
}
