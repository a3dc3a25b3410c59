import type { Logger } from '../logger.ts';
import { openDatabase } from './openDatabase.ts';
import { openPostgres } from './openPostgres.ts';
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
  return openPostgres(config.databaseUrl, {
    // An idle connection broken by a server restart: the pool replaces it on next use.
    onPoolError: (error) => logger?.warn({ err: error }, 'a PostgreSQL connection failed'),
  });
}
