import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BotError } from '../errors.ts';
import type { Dialect } from './store.ts';

/**
 * The project folder: the nearest one above this module that holds package.json. This
 * module runs as src/db/migrationJournal.ts (tsx, tests) and bundled into a file of dist/
 * (`npm start`), at different depths.
 */
function projectRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`no package.json above ${import.meta.url}`);
    folder = parent;
  }
  return folder;
}

/**
 * Each dialect's committed drizzle-kit migrations, resolved from this module rather than
 * the working directory, so the bot, scripts and tests all find the same folders.
 */
const root = projectRoot();
export const MIGRATIONS_FOLDERS: Record<Dialect, string> = {
  sqlite: join(root, 'drizzle'),
  postgres: join(root, 'drizzle-pg'),
};

/** The newest migration this build knows (drizzle records its `when` as `created_at`). */
export function newestKnownMigration(dialect: Dialect): { count: number; when: number } {
  const journal = JSON.parse(
    readFileSync(`${MIGRATIONS_FOLDERS[dialect]}/meta/_journal.json`, 'utf8'),
  ) as { entries: { when: number }[] };
  const when = Math.max(0, ...journal.entries.map((entry) => entry.when));
  return { count: journal.entries.length, when };
}

/**
 * A rolling deploy briefly runs old replicas beside new ones. A new replica migrates the
 * database first; an old one that starts after that must not write rows its code does
 * not understand, so it refuses to start instead.
 */
export function refuseNewerSchema(dialect: Dialect, appliedAt: readonly number[]): void {
  const known = newestKnownMigration(dialect);
  const newer = appliedAt.filter((when) => when > known.when).length;
  if (newer === 0) return;
  throw new BotError(
    'database_schema_newer',
    `The database has ${newer} migration(s) newer than this version of okta-connect knows ` +
      `(it knows ${known.count}): a newer version of the bot has already migrated it. ` +
      'Start the newer version instead; this one stops so that it does not write rows it cannot read.',
  );
}
