import { existsSync } from 'node:fs';
import { type StoreCommand, storeCommand } from './cli.ts';
import { loadStoreConfig } from './config.ts';
import { createKeyRing } from './crypto.ts';
import { redactDatabaseUrl } from './db/openPostgres.ts';
import { openStore } from './db/openStore.ts';
import { type RotationResult, rotateKeys } from './db/rotateKeys.ts';

/**
 * `npm run rotate-key`: re-seals every stored secret with ENCRYPTION_KEY, opening older
 * values with ENCRYPTION_KEY_PREVIOUS. See "Rotating the encryption key" in README.md.
 * Prints counts and key ids only, never a secret or a key.
 */

const README_POINTER = 'See "Rotating the encryption key" in README.md.';

// Typed, so that TypeScript knows `command.fail` does not return.
const command: StoreCommand = storeCommand('rotate-key', README_POINTER);
const { out } = command;

const loaded = loadStoreConfig(process.env);
if (!loaded.ok) command.failConfig(loaded.problems);
const { databasePath, databaseUrl, encryptionKey, encryptionKeysPrevious } = loaded.config;
// Opening a missing file would create an empty database and report success on nothing.
if (databaseUrl === null && (databasePath === ':memory:' || !existsSync(databasePath))) {
  command.fail([
    `rotate-key cannot run: there is no database at ${databasePath}.`,
    "Set DATABASE_PATH to the bot's database file, as the bot has it.",
  ]);
}

const ring = createKeyRing(encryptionKey, encryptionKeysPrevious);
const [currentKeyId, ...previousKeyIds] = ring.keyIds;
const where = databaseUrl === null ? databasePath : redactDatabaseUrl(databaseUrl);
out(`Re-sealing the secrets in ${where} with key ${currentKeyId} (ENCRYPTION_KEY).`);
out(
  previousKeyIds.length > 0
    ? `Older values are opened with key ${previousKeyIds.join(', ')} (ENCRYPTION_KEY_PREVIOUS).`
    : 'ENCRYPTION_KEY_PREVIOUS is empty: only values already sealed with ENCRYPTION_KEY can be opened.',
);

let database: Awaited<ReturnType<typeof openStore>>;
try {
  database = await openStore(loaded.config);
} catch (error) {
  command.fail([
    `rotate-key cannot run: ${error instanceof Error ? error.message : String(error)}`,
  ]);
}
let result: RotationResult;
try {
  result = await rotateKeys(database, ring, {
    onProgress: ({ rowsResealed }) => {
      if (rowsResealed % 500 === 0) out(`  … ${rowsResealed} rows re-sealed so far`);
    },
  });
} catch (error) {
  command.fail([
    `rotate-key stopped: ${error instanceof Error ? error.message : String(error)}`,
    'Every value re-sealed so far was saved and opens with the new key; the rest still open ' +
      'with the old one. Fix the cause, then run rotate-key again.',
  ]);
} finally {
  await database.close();
}

if (!result.ok) {
  command.fail([
    'rotate-key refused: some stored values open with neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS. Nothing was changed.',
    ...result.unknownKeys.map(
      ({ keyId, values }) =>
        `  - ${plural(values, 'value')} sealed with key ${keyId}, which is not configured: add that key to ENCRYPTION_KEY_PREVIOUS`,
    ),
    ...(result.unreadable.length > 0
      ? [
          `  - ${plural(result.unreadable.length, 'value')} malformed or altered (restore them from a backup, or delete the rows): ` +
            `${result.unreadable.slice(0, 10).join(', ')}${result.unreadable.length > 10 ? ', …' : ''}`,
        ]
      : []),
  ]);
}

for (const [table, tally] of Object.entries(result.tables)) {
  out(
    `${table}: ${plural(tally.resealed, 'value')} re-sealed, ${tally.skipped} already sealed with the current key`,
  );
}
if (result.remaining > 0) {
  command.fail([
    `rotate-key finished, but ${plural(result.remaining, 'value')} sealed with an older key appeared while it ran: ` +
      'is a bot still running with the old ENCRYPTION_KEY? Restart it with the new ENCRYPTION_KEY ' +
      '(the old one in ENCRYPTION_KEY_PREVIOUS), then run rotate-key again. Keep ENCRYPTION_KEY_PREVIOUS until then.',
  ]);
}
out(`Done: every sealed value now uses key ${result.currentKeyId}.`);
if (previousKeyIds.length > 0) {
  out('ENCRYPTION_KEY_PREVIOUS is no longer needed: remove it and restart the bot.');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
