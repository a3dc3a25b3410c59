import { type SQL, sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { BotError } from '../errors.ts';
import { MIGRATIONS_FOLDERS, refuseNewerSchema } from './migrationJournal.ts';
import * as schema from './schema.pg.ts';
import { type Db, type Store, tablesOf, transactionScopes } from './store.ts';

/**
 * Why node-postgres (`pg`) rather than postgres.js: drizzle's most used PostgreSQL driver,
 * a pool that replaces a broken connection by itself (the bot must ride out a database
 * restart), `sslmode`/`sslrootcert` read from the URL, and plain callbacks to observe
 * errors. postgres.js is faster on paper, but the bot's queries are few and indexed: the
 * pool's behaviour under failure matters more here than per-query speed.
 */
export interface PostgresOptions {
  /** Connections per replica. Each replica's handlers, sweep and API share them. */
  poolSize?: number;
  /** Called with errors of idle connections (a restarted server); they never crash the bot. */
  onPoolError?: (error: Error) => void;
}

/** The bot's first migration-lock key: any fixed number that no other tool in the database uses. */
const MIGRATION_LOCK_KEY = 7_310_915_262;
const MIGRATIONS_SCHEMA = 'drizzle';
const MIGRATIONS_TABLE = '__drizzle_migrations';

const TABLES = tablesOf(schema);

// Epoch milliseconds are `bigint` columns; node-postgres returns int8 as text by default.
// They stay far below 2^53, so a number is exact. Only this pool's connections read them so.
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** `postgres://user:***@host/db`: the URL as it may appear in a message or a log. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(a value that is not a URL)';
  }
}

/** Throws a BotError naming DATABASE_URL when `url` cannot be a PostgreSQL URL. */
export function checkDatabaseUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BotError(
      'database_url_invalid',
      'DATABASE_URL is not a URL: expected postgres://USER:PASSWORD@HOST:5432/DATABASE',
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new BotError(
      'database_url_invalid',
      `DATABASE_URL must start with postgres:// or postgresql://, not ${parsed.protocol}//`,
    );
  }
  if (!parsed.hostname) {
    throw new BotError('database_url_invalid', 'DATABASE_URL names no host');
  }
}

/**
 * Connects to PostgreSQL, migrates under an advisory lock (replicas starting together
 * take turns; the later ones find nothing to do), and returns the store. Fails with a
 * BotError naming DATABASE_URL, never with the password, when the server cannot be
 * reached or refuses the login.
 */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Store> {
  checkDatabaseUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // A database that does not answer must not hold a Slack request past its 3 seconds
    // forever: the request fails with a clear error and the pool tries again next time.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    query_timeout: 15_000,
    application_name: 'okta-connect',
    types,
  });
  pool.on('error', (error) => options.onPoolError?.(error));
  let migrationsApplied: number;
  try {
    migrationsApplied = await migrateLocked(pool);
  } catch (error) {
    await pool.end().catch(() => {});
    if (error instanceof BotError) throw error;
    throw new BotError(
      'database_unreachable',
      `DATABASE_URL ${redactDatabaseUrl(url)}: ${describePgError(error)}`,
      { cause: error },
    );
  }

  const base = drizzle(pool, { schema }) as unknown as NodePgDatabase<typeof schema>;
  const scopes = transactionScopes<NodePgDatabase<typeof schema>>();
  // Repositories hold this one object; each property access picks the transaction the
  // call runs in, if any, so repository code is the same inside and outside one.
  const db = new Proxy(base, {
    get(target, property) {
      const current = scopes.current()?.handle ?? target;
      const value = Reflect.get(current, property, current);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  }) as unknown as Db;

  const pgDb = () => db as unknown as NodePgDatabase<typeof schema>;
  let closed = false;
  return {
    dialect: 'postgres',
    db,
    tables: TABLES,
    migrationsApplied,
    transaction(work) {
      if (scopes.current()) return work();
      return base.transaction((tx) =>
        scopes.run(tx as unknown as NodePgDatabase<typeof schema>, work),
      );
    },
    async lockRow(table, id) {
      await pgDb().execute(sql`SELECT 1 FROM ${sql.identifier(table)} WHERE id = ${id} FOR UPDATE`);
    },
    async all<T>(query: SQL) {
      return (await pgDb().execute(query)).rows as T[];
    },
    async run(query) {
      await pgDb().execute(query);
    },
    serialize: (repository) => repository,
    async status() {
      try {
        const result = await pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${MIGRATIONS_SCHEMA}.${MIGRATIONS_TABLE}`,
        );
        return { ok: true, dialect: 'postgres', migrations: Number(result.rows[0]?.n ?? 0) };
      } catch (error) {
        return {
          ok: false,
          dialect: 'postgres',
          migrations: 0,
          error: describePgError(error),
        };
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

async function migrateLocked(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const before = await appliedMigrations(client);
      refuseNewerSchema('postgres', before);
      await migrate(drizzle(client), {
        migrationsFolder: MIGRATIONS_FOLDERS.postgres,
        migrationsSchema: MIGRATIONS_SCHEMA,
        migrationsTable: MIGRATIONS_TABLE,
      });
      return (await appliedMigrations(client)).length - before.length;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

async function appliedMigrations(client: pg.PoolClient): Promise<number[]> {
  const exists = await client.query<{ name: string | null }>('SELECT to_regclass($1) AS name', [
    `${MIGRATIONS_SCHEMA}.${MIGRATIONS_TABLE}`,
  ]);
  if (!exists.rows[0]?.name) return [];
  const rows = await client.query<{ at: string | number | null }>(
    `SELECT created_at AS at FROM ${MIGRATIONS_SCHEMA}.${MIGRATIONS_TABLE} ORDER BY created_at`,
  );
  return rows.rows.map((row) => Number(row.at ?? 0));
}

/** The driver's own words (they never include the password), or its error code. */
export function describePgError(error: unknown): string {
  const e = error as { message?: string; code?: string; errors?: { message?: string }[] };
  // A refused connection to "localhost" is an AggregateError of one error per address.
  const message = e.message || e.errors?.map((inner) => inner.message).join('; ') || '';
  return message || e.code || 'unknown error';
}
