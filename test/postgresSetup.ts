import pg from 'pg';
import type { TestProject } from 'vitest/node';

/**
 * Finds the PostgreSQL server the store suites run against: `TEST_DATABASE_URL`, or the
 * project machines' default. Without one, the SQLite suites still run and the PostgreSQL
 * ones are skipped with a notice, except in CI (or with `REQUIRE_POSTGRES=1`), where a
 * missing server fails the run: a green CI must mean both stores were tested.
 */
const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An admin URL of the test server, or '' when there is none. */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL || DEFAULT_URL;
  const required = process.env.CI === 'true' || process.env.REQUIRE_POSTGRES === '1';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    project.provide('postgresUrl', url);
  } catch (error) {
    const where = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
    const reason = (error as Error).message || String(error);
    if (required) {
      throw new Error(`PostgreSQL is required here but not reachable at ${where}: ${reason}`);
    }
    process.stderr.write(
      `\nPostgreSQL is not reachable at ${where} (${reason}): the PostgreSQL suites are SKIPPED; ` +
        'only SQLite is tested. Set TEST_DATABASE_URL to run them.\n\n',
    );
    project.provide('postgresUrl', '');
  } finally {
    await client.end().catch(() => {});
  }
}
