import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePostgres, emptyPostgresDatabase } from '../db/testDatabase.ts';
import { type Harness, startHarness } from '../e2e/harness.ts';
import { waitUntil } from '../waitUntil.ts';
import { startTcpProxy } from './tcpProxy.ts';

/**
 * The bot on PostgreSQL through a TCP relay that the test cuts for a while, as a database
 * restart or a network failure would: no crash, clear answers meanwhile, normal after.
 */
describePostgres('a PostgreSQL outage while the bot runs', () => {
  let h: Harness;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  beforeAll(async () => {
    const direct = new URL(await emptyPostgresDatabase());
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const relayed = new URL(direct);
    relayed.port = String(proxy.port);
    h = await startHarness({ databaseUrl: relayed.toString() });
  });
  afterAll(async () => {
    await h?.close();
    await proxy?.close();
  });

  const get = async (path: string) => {
    const res = await fetch(`${h.publicUrl}${path}`, { signal: AbortSignal.timeout(10_000) });
    return { status: res.status, text: await res.text() };
  };

  it('answers 503 on /readyz and a clear page meanwhile, then recovers by itself', async () => {
    expect((await get('/readyz')).status).toBe(200);
    const before = await get('/connect/not-a-real-link-token-0000000000000000');
    expect(before.status).toBe(404);

    proxy.block();
    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toMatchObject({
      status: 'not_ready',
      database: { ok: false, dialect: 'postgres' },
    });
    const page = await get('/connect/not-a-real-link-token-0000000000000000');
    expect(page.status).toBe(503);
    expect(page.text).toContain('Its database did not answer. Nothing was changed');
    // Alive all along: a load balancer takes it out of rotation, an orchestrator keeps it.
    expect((await get('/healthz')).status).toBe(200);

    proxy.unblock();
    await waitUntil(async () => (await get('/readyz')).status === 200, 'the bot to be ready again');
    expect((await get('/connect/not-a-real-link-token-0000000000000000')).status).toBe(404);
    const listed = await h.admin.command('list');
    expect(JSON.stringify(listed)).not.toContain('error');
  });
});
