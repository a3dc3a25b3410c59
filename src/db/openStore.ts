import type { Logger } from '../logger.ts';
import { openDatabase } from './openDatabase.ts';
import type { Store } from './store.ts';

/**
 * The store the configuration names: PostgreSQL when `DATABASE_URL` is set (several
 * replicas share it), else the SQLite file at `DATABASE_PATH` (the embedded default; no
 * file is written when PostgreSQL is used). Migrated and ready when it resolves.
 */
export async function openStore(
  config: { databasePath: string; databaseUrl: string | null },
  logger?: Logger,
): Promise<Store> {
  if (config.databaseUrl === null) return openDatabase(config.databasePath);
  // Loaded only for PostgreSQL: pg and drizzle's PostgreSQL modules are a large part of
  // what a SQLite bot would hold in memory for nothing (docs/benchmarks.md, issue 12 §3).
  const { openPostgres } = await import('./openPostgres.ts');
  return openPostgres(config.databaseUrl, {
    // An idle connection broken by a server restart: the pool replaces it on next use.
    onPoolError: (error) => logger?.warn({ err: error }, 'a PostgreSQL connection failed'),
  });
}
