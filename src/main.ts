import { createBot } from './app.ts';
import { describeProblems, describeStartFailure, loadConfig } from './config.ts';
import { openDatabase } from './db/openDatabase.ts';
import { createLogger } from './logger.ts';

// A .env file in the working folder is read when present (Node's own parser).
try {
  process.loadEnvFile();
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}

const result = loadConfig(process.env);
if (!result.ok) {
  process.stderr.write(`${describeProblems(result.problems)}\n`);
  process.exit(1);
}
const { config, warnings } = result;
const logger = createLogger(config.logLevel);
for (const warning of warnings) logger.warn(warning);

const database = openDatabase(config.databasePath);
logger.info({ database: database.status(), path: config.databasePath }, 'database ready');

const bot = createBot(config, { logger, database });
let port: number;
try {
  ({ port } = await bot.start());
} catch (error) {
  process.stderr.write(`${describeStartFailure(error, config.slack.apiUrl)}\n`);
  database.close();
  process.exit(1);
}
logger.info(
  { port, publicUrl: config.publicUrl, redirectUri: config.redirectUri },
  'okta-connect is listening',
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  await bot.stop();
  database.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
