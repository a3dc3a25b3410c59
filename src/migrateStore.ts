import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type StoreCommand, storeCommand } from './cli.ts';
import { loadStoreConfig } from './config.ts';
import { createKeyRing } from './crypto.ts';
import { type CopyResult, copyToPostgres, type TableReport } from './db/copyToPostgres.ts';
import { checkDatabaseUrl, openPostgres, redactDatabaseUrl } from './db/openPostgres.ts';
import { surveySealedValues } from './db/sealedCheck.ts';
import { openSqliteSource } from './db/sqliteSource.ts';
import type { Store } from './db/store.ts';

/**
 * `npm run migrate-store -- --to postgres://…`: copies the SQLite install the bot would
 * use (DATABASE_PATH, or `--from`) into an empty PostgreSQL database, every row of every
 * table, sealed secrets exactly as they are, in one transaction that commits only once
 * each table's count and checksum match. The SQLite file is only read. Prints counts,
 * key ids and the URL without its password; never a secret or a key.
 * See "Moving from SQLite to PostgreSQL" in README.md.
 */

const README_POINTER = 'See "Moving from SQLite to PostgreSQL" in README.md.';
const USAGE =
  'Usage: npm run migrate-store -- --to postgres://USER@HOST:5432/DATABASE [--from PATH] [--batch-rows N]\n' +
  '  (or DATABASE_URL instead of --to; the password may come from PGPASSWORD)';

// Typed, so that TypeScript knows `command.fail` does not return.
const command: StoreCommand = storeCommand('migrate-store', README_POINTER);
const { out } = command;

let args: ReturnType<typeof parseCommandLine>;
try {
  args = parseCommandLine();
} catch (error) {
  command.fail([`migrate-store cannot run: ${(error as Error).message}`, USAGE]);
}

function parseCommandLine() {
  const { values } = parseArgs({
    options: {
      to: { type: 'string' },
      from: { type: 'string' },
      'batch-rows': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const batchRows = Number(values['batch-rows'] ?? 1000);
  if (!Number.isInteger(batchRows) || batchRows < 1 || batchRows > 10_000) {
    throw new Error('--batch-rows: expected a whole number from 1 to 10000');
  }
  return { to: values.to, from: values.from, batchRows };
}

// The target: --to, or DATABASE_URL (which keeps the password out of the process list).
const envUrl = process.env.DATABASE_URL?.trim() || undefined;
if (args.to !== undefined && envUrl !== undefined && args.to !== envUrl) {
  command.fail([
    'migrate-store refused: --to and DATABASE_URL name different databases ' +
      `(${redactDatabaseUrl(args.to)} and ${redactDatabaseUrl(envUrl)}). Give one of them.`,
  ]);
}
const targetUrl = args.to ?? envUrl;
const targetName = args.to !== undefined ? '--to' : 'DATABASE_URL';
if (targetUrl === undefined) {
  command.fail(['migrate-store cannot run: name the PostgreSQL database to copy into.', USAGE]);
}
try {
  checkDatabaseUrl(targetUrl);
} catch (error) {
  command.fail([
    `migrate-store cannot run: ${(error as Error).message.replace(/^DATABASE_URL/, targetName)}`,
  ]);
}

const env: Record<string, string | undefined> = { ...process.env, DATABASE_URL: undefined };
const configuredPath = resolve(
  args.from ?? (env.DATABASE_PATH?.trim() || './data/okta-connect.sqlite'),
);
const keyFile = join(dirname(configuredPath), 'encryption.key');
if (!env.ENCRYPTION_KEY?.trim()) command.fail(missingKey());
const loaded = loadStoreConfig(env);
if (!loaded.ok) command.failConfig(loaded.problems);
const sourcePath =
  args.from !== undefined ? resolve(args.from) : resolve(loaded.config.databasePath);
if (loaded.config.databasePath === ':memory:' || !isFile(sourcePath)) {
  command.fail([
    `migrate-store cannot run: there is no database at ${sourcePath}.`,
    "Set DATABASE_PATH to the bot's database file, as the bot has it, or give --from PATH.",
  ]);
}

const ring = createKeyRing(loaded.config.encryptionKey, loaded.config.encryptionKeysPrevious);
let opened: ReturnType<typeof openSqliteSource>;
try {
  opened = openSqliteSource(sourcePath);
} catch (error) {
  command.fail([`migrate-store cannot read ${sourcePath}: ${(error as Error).message}`]);
}
if (!opened.ok) command.fail([`migrate-store refused: ${opened.message}`, 'Nothing was written.']);
const source = opened.source;

out(`Checking that every sealed value in ${sourcePath} opens with ENCRYPTION_KEY.`);
const survey = surveySealedValues(source, ring);
if (survey.unknownKeys.length > 0 || survey.unreadable.length > 0) {
  source.close();
  command.fail(unopenedValues(survey));
}

out(`Copying it into ${redactDatabaseUrl(targetUrl)} (${targetName}).`);
let target: Store;
try {
  target = await openPostgres(targetUrl, { poolSize: 2 });
} catch (error) {
  source.close();
  command.fail([
    `migrate-store cannot open the PostgreSQL database (${targetName}): ` +
      (error as Error).message.replace(/^DATABASE_URL /, ''),
    'Nothing was written.',
  ]);
}

let result: CopyResult;
const progress = new Map<string, number>();
try {
  result = await copyToPostgres(source, target, {
    batchRows: args.batchRows,
    onRows: (table, rows) => {
      const shown = progress.get(table) ?? 0;
      if (rows < shown + 10_000) return;
      progress.set(table, rows);
      out(`  ${table}: … ${rows} rows so far`);
    },
    onTableCopied: (table, rows) => out(`  ${table}: ${rows} rows copied`),
  });
} catch (error) {
  const message = (error as Error).message;
  command.fail([
    `migrate-store stopped: ${message}`,
    ...(message.includes('lock timeout')
      ? ['Another process is writing to the PostgreSQL database: is a bot already running on it?']
      : []),
    'The PostgreSQL transaction was rolled back: nothing was written. Fix the cause and run it again.',
  ]);
} finally {
  source.close();
  await target.close();
}

if (!result.ok) command.fail(refusal(result));
out('');
out('Verified in PostgreSQL before the commit (rows, checksum of every column):');
const width = Math.max(...result.tables.map((t) => t.table.length));
for (const table of result.tables) {
  const sealed = survey.opened[table.table];
  out(
    `  ${table.table.padEnd(width)}  ${String(table.targetRows).padStart(8)} rows  checksum ${table.targetChecksum.slice(0, 12)} matches` +
      (sealed ? `  (${sealed} sealed values, copied unchanged)` : ''),
  );
}
const total = result.tables.reduce((sum, table) => sum + table.targetRows, 0);
out(`Done: ${total} rows in ${result.tables.length} tables copied and committed.`);
out('Next:');
out(`  1. Set DATABASE_URL=${redactDatabaseUrl(targetUrl)} (with its password) for the bot.`);
out(
  '  2. Keep ENCRYPTION_KEY exactly as it was for this command: the secrets were copied sealed, and only it opens them.' +
    (loaded.config.encryptionKeysPrevious.length > 0 ? ' Keep ENCRYPTION_KEY_PREVIOUS too.' : ''),
);
out('  3. Start the bot. The SQLite file was not changed: keep it as a backup for a while.');

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Without ENCRYPTION_KEY the bot on SQLite seals with the key it generated into the data
 * folder; on PostgreSQL it requires ENCRYPTION_KEY. The key is never printed here: the
 * operator is told where it is, and copies it to where the bot's secrets are kept.
 */
function missingKey(): string[] {
  const lines = [
    'migrate-store cannot run: ENCRYPTION_KEY is not set.',
    'The secrets are copied sealed, as they are, so the bot on PostgreSQL must open them with the key',
    'the SQLite install sealed them with, and with DATABASE_URL it reads that key from ENCRYPTION_KEY only.',
  ];
  if (existsSync(keyFile)) {
    lines.push(
      `This install uses the key the bot generated into ${keyFile}. Set ENCRYPTION_KEY to its content,`,
      `for this command and for the bot: ENCRYPTION_KEY="$(cat ${keyFile})" npm run migrate-store -- …`,
      'and store the key where the bot keeps its other secrets.',
    );
  } else {
    lines.push('Set ENCRYPTION_KEY to the key the bot runs with.');
  }
  return lines;
}

function unopenedValues(result: ReturnType<typeof surveySealedValues>): string[] {
  const fileKeyId = keyIdOfFile();
  return [
    'migrate-store refused: some sealed values open with neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS. Nothing was written.',
    ...result.unknownKeys.map(
      ({ keyId, values }) =>
        `  - ${values} value(s) sealed with key ${keyId}, which is not configured` +
        (keyId === fileKeyId
          ? `: it is the key in ${keyFile}; set ENCRYPTION_KEY to its content`
          : ': set ENCRYPTION_KEY to the key the bot runs with (older keys in ENCRYPTION_KEY_PREVIOUS)'),
    ),
    ...(result.unreadable.length > 0
      ? [
          `  - ${result.unreadable.length} value(s) malformed or altered (restore them from a backup, or delete the rows): ` +
            `${result.unreadable.slice(0, 10).join(', ')}${result.unreadable.length > 10 ? ', …' : ''}`,
        ]
      : []),
  ];
}

function keyIdOfFile(): string | null {
  try {
    const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
    return key.length === 32 ? createKeyRing(key).currentKeyId : null;
  } catch {
    return null;
  }
}

function refusal(result: Exclude<CopyResult, { ok: true }>): string[] {
  const nothing = 'The PostgreSQL transaction was rolled back: nothing was written.';
  switch (result.code) {
    case 'target_not_empty':
      return [
        `migrate-store refused: the PostgreSQL database (${targetName}) already holds rows:`,
        ...result.tables.map(({ table, rows }) => `  - ${table}: ${rows} rows`),
        'It copies only into an empty database, so that nothing there is overwritten or mixed with the copy.',
        'Give a new database (createdb), or empty this one if it holds nothing you need. Nothing was written.',
      ];
    case 'tables_differ':
      return [
        `migrate-store refused: the tables of ${sourcePath} are not the ones this version knows.`,
        ...describeDifference(result),
        'Nothing was written.',
      ];
    case 'columns_differ':
      return [
        `migrate-store refused: the columns of ${result.table} in ${sourcePath} are not the ones this version knows.`,
        ...describeDifference(result),
        'Nothing was written.',
      ];
    case 'value_refused':
      return [
        `migrate-store refused: in ${result.table}, row ${result.row}: ${result.reason}.`,
        nothing,
      ];
    case 'verify_failed':
      return [
        'migrate-store refused: the copy does not match the source.',
        ...describeTables(result.tables),
        nothing,
      ];
    case 'source_changed':
      return [
        `migrate-store refused: ${sourcePath} changed while it was copied. Is the bot still running on it?`,
        'Stop every bot process that uses it, then run migrate-store again.',
        nothing,
      ];
  }
}

/** Tables or columns the file lacks, and those the schema does not know. */
function describeDifference({
  missing,
  unknown,
}: {
  missing: string[];
  unknown: string[];
}): string[] {
  return [
    ...(missing.length > 0 ? [`  - missing: ${missing.join(', ')}`] : []),
    ...(unknown.length > 0 ? [`  - not in the schema: ${unknown.join(', ')}`] : []),
  ];
}

function describeTables(tables: TableReport[]): string[] {
  return tables.map(
    (t) =>
      `  - ${t.table}: ${t.sourceRows} rows in SQLite, ${t.targetRows} in PostgreSQL, checksum ` +
      (t.sourceChecksum === t.targetChecksum ? 'matches' : 'differs'),
  );
}
