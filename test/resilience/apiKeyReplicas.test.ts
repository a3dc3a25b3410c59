import { describe, expect, it } from 'vitest';
import { createKeyInSlack } from '../e2e/apiKeySteps.ts';
import { seedActive } from '../e2e/seed.ts';
import { ADMIN, openStore, startBot, withWorld } from './botProcess.ts';

/**
 * Issue 13: a key revoked through one replica is refused by another on its very next
 * request, because every call reads the key from the shared database (no cache).
 */
describe('API keys across two bot processes on one database file', () => {
  it(
    'a key made through one process works on the other, and its revocation counts there at once',
    () =>
      withWorld({}, async (world) => {
        const store = openStore(world);
        const [connection] = await seedActive(world, store.connections, 1, { prefix: 'replica' });
        store.close();
        if (!connection) throw new Error('no seed');
        const [a, b] = await Promise.all([startBot(world), startBot(world)]);
        const admin = world.user(ADMIN, a);
        const { key } = await createKeyInSlack(world.slack, admin, ADMIN, 'replicated', {
          connections: [connection.id],
          actions: ['read'],
        });
        const get = (base: string) =>
          fetch(`${base}/api/connections/${connection.nickname}`, {
            headers: { Authorization: `Bearer ${key}` },
          });
        expect((await get(b.publicUrl)).status).toBe(200);

        const revoked = await admin.command('apikey revoke replicated');
        expect(revoked.status).toBe(200);
        const refused = await get(b.publicUrl);
        expect(refused.status).toBe(401);
        expect(await refused.json()).toMatchObject({ error: 'key_revoked' });
        expect((await get(a.publicUrl)).status).toBe(401);
      }),
    60_000,
  );
});
