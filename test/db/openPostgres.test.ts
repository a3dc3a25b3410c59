import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createKeyRing, randomToken } from '../../src/crypto.ts';
import { createAuthRequestsRepo } from '../../src/db/authRequestsRepo.ts';
import { createConnectionsRepo } from '../../src/db/connectionsRepo.ts';
import { newestKnownMigration } from '../../src/db/migrationJournal.ts';
import { openPostgres } from '../../src/db/openPostgres.ts';
import type { Store } from '../../src/db/store.ts';
import { isBotError } from '../../src/errors.ts';
import {
  authorization,
  describePostgres,
  emptyPostgresDatabase,
  KEY_A,
  manualClock,
  newAuthRequest,
  newConnection,
} from './testDatabase.ts';

const PASSWORD = 'hunter2-never-printed';

/** The error `openPostgres(url)` fails with. */
async function refusal(url: string) {
  const error = await openPostgres(url).then(
    (store) => {
      void store.close();
      return null;
    },
    (e: unknown) => e,
  );
  if (!isBotError(error)) throw new Error(`expected a BotError, got ${String(error)}`);
  return error;
}

const withPassword = (url: string) => {
  const parsed = new URL(url);
  parsed.password = PASSWORD;
  return parsed.toString();
};

describe('DATABASE_URL that cannot be used', () => {
  it('refuses a URL that is not a PostgreSQL URL, naming DATABASE_URL', async () => {
    const error = await refusal('mysql://root:secret@127.0.0.1/okta');
    expect(error.code).toBe('database_url_invalid');
    expect(error.message).toContain('DATABASE_URL');
    expect(error.message).not.toContain('secret');
  });

  it('says the server refused the connection, without the password', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const error = await refusal(`postgres://postgres:${PASSWORD}@127.0.0.1:1/okta`);
    expect(error.code).toBe('database_unreachable');
    expect(error.message).toMatch(/DATABASE_URL postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/okta/);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).not.toContain(PASSWORD);
    expect(JSON.stringify(error)).not.toContain(PASSWORD);
  });
});

describePostgres('PostgreSQL store', () => {
  it('says which database does not exist, without the password', async () => {
    const url = new URL(await emptyPostgresDatabase());
    url.pathname = '/okta_connect_no_such_database';
    const error = await refusal(withPassword(url.toString()));
    expect(error.code).toBe('database_unreachable');
    expect(error.message).toContain('okta_connect_no_such_database');
    expect(error.message).toContain('does not exist');
    expect(error.message).not.toContain(PASSWORD);
  });

  it('honours sslmode in the URL: a server without TLS is refused, not used in clear', async () => {
    const url = new URL(await emptyPostgresDatabase());
    url.searchParams.set('sslmode', 'require');
    const error = await refusal(url.toString());
    expect(error.code).toBe('database_unreachable');
    expect(error.message).toMatch(/SSL/i);
  });

  it('migrates once when three replicas start together on an empty database', async () => {
    const url = await emptyPostgresDatabase();
    const stores = await Promise.all([openPostgres(url), openPostgres(url), openPostgres(url)]);
    try {
      const known = newestKnownMigration('postgres').count;
      expect(stores.map((store) => store.migrationsApplied).sort()).toEqual([0, 0, known]);
      for (const store of stores) {
        expect(await store.status()).toEqual({ ok: true, dialect: 'postgres', migrations: known });
      }
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('refuses to start on a schema newer than its code (an old replica in a rolling deploy)', async () => {
    const url = await emptyPostgresDatabase();
    const first = await openPostgres(url);
    const future = newestKnownMigration('postgres').when + 86_400_000;
    await first.run(
      sql`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('from-a-newer-version', ${future})`,
    );
    await first.close();
    const error = await refusal(url);
    expect(error.code).toBe('database_schema_newer');
    expect(error.message).toMatch(/newer version of the bot has already migrated it/);
  });

  describe('single use across processes', () => {
    /** `n` stores on one database, each with its own pool, as `n` replicas would have. */
    async function replicas(n: number, url: string) {
      const stores: Store[] = [];
      for (let i = 0; i < n; i += 1) stores.push(await openPostgres(url, { poolSize: 3 }));
      const clock = manualClock();
      const ring = createKeyRing(KEY_A);
      return {
        clock,
        repos: stores.map((store) => ({
          connections: createConnectionsRepo(store, ring, clock),
          authRequests: createAuthRequestsRepo(store, ring, clock),
        })),
        close: () => Promise.all(stores.map((store) => store.close())),
      };
    }

    it('lets exactly one of many concurrent callbacks consume a state', async () => {
      const { repos, clock, close } = await replicas(3, await emptyPostgresDatabase());
      try {
        const [one] = repos;
        const created = await one!.connections.createPending(newConnection());
        if (!created.ok) throw new Error('create failed');
        const { request } = await one!.authRequests.create(
          newAuthRequest(created.connection.id, clock),
        );
        const state = randomToken();
        const start = {
          state,
          browserBinding: randomToken(),
          pkceVerifier: randomToken(),
          nonce: randomToken(),
          expiresAt: clock() + 600_000,
        };
        await one!.authRequests.beginAuthorization(request.id, start);
        const attempts = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            repos[i % repos.length]!.authRequests.consumeByState(state),
          ),
        );
        expect(attempts.filter((consumed) => consumed !== null)).toHaveLength(1);
      } finally {
        await close();
      }
    });

    it('gives a refresh lease to exactly one of many concurrent sweepers', async () => {
      const { repos, clock, close } = await replicas(3, await emptyPostgresDatabase());
      try {
        const [one] = repos;
        const created = await one!.connections.createPending(newConnection());
        if (!created.ok) throw new Error('create failed');
        await one!.connections.markActive(created.connection.id, authorization());
        const takes = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            repos[i % repos.length]!.connections.tryTakeLease(
              created.connection.id,
              `replica-${i}`,
              clock(),
            ),
          ),
        );
        expect(takes.filter(Boolean)).toHaveLength(1);
      } finally {
        await close();
      }
    });

    it('lets one admin of two hold a reauthorization link when both ask at once', async () => {
      const { repos, clock, close } = await replicas(2, await emptyPostgresDatabase());
      try {
        const [one, two] = repos;
        const created = await one!.connections.createPending(newConnection());
        if (!created.ok) throw new Error('create failed');
        const id = created.connection.id;
        const ask = (side: typeof one, user: string) =>
          side!.authRequests.createReauthorization(
            newAuthRequest(id, clock, { purpose: 'reauthorize', slackUserId: user }),
          );
        for (let round = 0; round < 5; round += 1) {
          const [a, b] = await Promise.all([ask(one, `U_A${round}`), ask(two, `U_B${round}`)]);
          expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
          // The winner's link is used up before the next round, so each round starts free.
          const winner = a.ok ? a : b;
          if (winner.ok) await one!.authRequests.consumeByLinkToken(winner.linkToken);
        }
      } finally {
        await close();
      }
    });
  });

  it('recovers by itself when the server ends its connections (a restart), and closes twice safely', async () => {
    const url = await emptyPostgresDatabase();
    const store = await openPostgres(url);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    // Ends every other session on this database, as a server restart would.
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    await admin.end();
    // The pool replaces the broken connection by itself: the next query works.
    await expect(store.status()).resolves.toMatchObject({ ok: true });
    await store.close();
    await store.close();
  });
});
