import { createBot } from './app.ts';
import { describeProblems, describeStartFailure, loadConfig, loadDotEnv } from './config.ts';
import { openStore } from './db/openStore.ts';
import type { Store } from './db/store.ts';
import { isBotError } from './errors.ts';
import { expireLeasesOfStoppedProcesses } from './flows/leaseOwners.ts';
import { createLogger } from './logger.ts';

loadDotEnv();

const result = loadConfig(process.env);
if (!result.ok) {
  process.stderr.write(`${describeProblems(result.problems)}\n`);
  process.exit(1);
}
const { config, warnings } = result;
const logger = createLogger(config.logLevel);
for (const warning of warnings) logger.warn(warning);

let database: Store;
try {
  database = await openStore(config, logger);
} catch (error) {
  // The store's own errors name DATABASE_URL and what went wrong, never the password; an
  // unexpected error keeps its stack for the bug report.
  if (!isBotError(error)) throw error;
  process.stderr.write(
    `okta-connect cannot start: the database could not be opened.\n  - ${error.message}\n`,
  );
  process.exit(1);
}
logger.info(
  {
    database: await database.status(),
    ...(config.databaseUrl === null ? { path: config.databasePath } : {}),
  },
  'database ready',
);

const bot = createBot(config, { logger, database });
// Before any sweep of this process: refreshes cut short by an earlier life of the bot.
await expireLeasesOfStoppedProcesses(bot.flows);
let port: number;
try {
  ({ port } = await bot.start());
} catch (error) {
  process.stderr.write(`${describeStartFailure(error, config.slack.apiUrl)}\n`);
  await database.close();
  process.exit(1);
}
logger.info(
  { port, publicUrl: config.publicUrl, redirectUri: config.redirectUri },
  'okta-connect is listening',
);
// A first sweep now rather than one interval after start: tokens that came due while the
// bot was down are refreshed at once, and an interrupted refresh is retried while Okta's
// grace period for the token it was replacing may still run.
void bot.health.runNow();

/**
 * How long requests under way and the current sweep step get to finish after SIGTERM.
 * `docker stop` sends SIGKILL 10 s after SIGTERM (Kubernetes after 30 s): the bot is done
 * well before, database closed.
 */
const SHUTDOWN_GRACE_MS = 8_000;

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) {
    // A second Ctrl-C: the operator does not want to wait. SQLite's WAL keeps the file
    // consistent; a refresh cut short is retried at the next start.
    logger.warn({ signal }, 'stopping at once');
    process.exit(1);
  }
  stopping = true;
  logger.info({ signal, graceMs: SHUTDOWN_GRACE_MS }, 'shutting down');
  let code = 0;
  try {
    await bot.stop(SHUTDOWN_GRACE_MS);
  } catch (error) {
    logger.error({ err: error }, 'could not stop cleanly');
    code = 1;
  } finally {
    await database.close();
  }
  logger.info({ code }, 'stopped; database closed');
  process.exit(code);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
