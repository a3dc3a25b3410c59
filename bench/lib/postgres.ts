import pg from 'pg';
import { describePgError } from '../../src/db/openPostgres.ts';

/** The project machines' server; `--pg-url` or `BENCH_DATABASE_URL` name another. */
export const DEFAULT_BENCH_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** What the bench does on the server it was given: its own databases, dropped at the end. */
export interface BenchPostgres {
  /** `PostgreSQL 15.x …`, for the report. */
  readonly server: string;
  /** A new, empty database for one workload (`okta_connect_bench_<pid>_<name>`): its URL. */
  createDatabase(name: string): Promise<string>;
  /** Drops one database made by `createDatabase` (replicas may still hold connections). */
  dropDatabase(url: string): Promise<void>;
  /** Drops every database still left; safe to call twice. */
  dropAll(): Promise<void>;
}

async function adminQuery<T extends pg.QueryResultRow>(adminUrl: string, text: string) {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await client.query<T>(text);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The server at `adminUrl` as a place for the bench's databases, or why it cannot be one
 * (not reachable, login refused, no right to create a database): the PostgreSQL rows are
 * then skipped with that reason instead of failing the bench.
 */
export async function benchPostgres(
  adminUrl: string,
): Promise<{ ok: true; postgres: BenchPostgres } | { ok: false; reason: string }> {
  let server: string;
  try {
    const result = await adminQuery<{ version: string }>(adminUrl, 'SELECT version()');
    server = (result.rows[0]?.version ?? 'PostgreSQL').split(' on ')[0] ?? 'PostgreSQL';
  } catch (error) {
    return { ok: false, reason: describePgError(error) };
  }
  const made = new Set<string>();
  const nameOf = (url: string) => new URL(url).pathname.slice(1);
  const drop = async (name: string) => {
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    made.delete(name);
  };
  return {
    ok: true,
    postgres: {
      server,
      async createDatabase(label) {
        const name = `okta_connect_bench_${process.pid}_${label.replace(/[^a-z0-9_]/g, '_')}`;
        await drop(name);
        await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
        made.add(name);
        const url = new URL(adminUrl);
        url.pathname = `/${name}`;
        return url.toString();
      },
      dropDatabase: (url) => drop(nameOf(url)),
      async dropAll() {
        for (const name of [...made]) await drop(name);
      },
    },
  };
}
