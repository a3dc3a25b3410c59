import { readFileSync } from 'node:fs';
import { generateSQLiteDrizzleJson, generateSQLiteMigration } from 'drizzle-kit/api';
import { sql } from 'drizzle-orm';
import { sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as schema from '../../src/db/schema.ts';

/**
 * What `npm run db:generate` does, without writing files: diff the schema against the
 * last snapshot that drizzle-kit committed in drizzle/meta. A schema edit without its
 * generated migration fails here instead of at someone's start-up.
 */
function readLatestSnapshot() {
  const folder = new URL('../../drizzle/meta/', import.meta.url);
  const journal = JSON.parse(readFileSync(new URL('_journal.json', folder), 'utf8')) as {
    entries: { idx: number }[];
  };
  const last = journal.entries.at(-1);
  if (!last) throw new Error('drizzle/meta/_journal.json lists no migration');
  const file = `${String(last.idx).padStart(4, '0')}_snapshot.json`;
  return JSON.parse(readFileSync(new URL(file, folder), 'utf8'));
}

async function pendingStatements(imports: Record<string, unknown>): Promise<string[]> {
  return generateSQLiteMigration(readLatestSnapshot(), await generateSQLiteDrizzleJson(imports));
}

describe('committed migrations', () => {
  it('match src/db/schema.ts: db:generate has nothing to add', async () => {
    expect(await pendingStatements(schema)).toEqual([]);
  });

  it('would show a schema change as a pending statement', async () => {
    const changed = sqliteTable(
      'connections',
      { id: text('id').primaryKey(), teamId: text('team_id').notNull() },
      (t) => [uniqueIndex('connections_team_unique').on(t.teamId).where(sql`1`)],
    );
    expect((await pendingStatements({ ...schema, connections: changed })).length).toBeGreaterThan(
      0,
    );
  });
});
