import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './e2e/harness.ts';
import { type SlackPeer, startSlackPeer } from './peers/slack/index.ts';
import { cleanEnv, ROOT, runTsx, startTsx, type TsxProcess, waitForHealthz } from './tsxProcess.ts';

/**
 * `npm start` as an operator runs it: `tsx src/main.ts` in a child process, with nothing
 * but the variables each test sets, in an empty working folder (so no `.env` is read and
 * the default `./data` lands in a temporary folder, never in the repository).
 */

const MAIN = 'src/main.ts';
const BOT_TOKEN = 'xoxb-start-test-0123456789-secretpart';
const SIGNING_SECRET = 'c0ffee0123456789abcdef0123456789';
const MIGRATIONS = (
  JSON.parse(readFileSync(join(ROOT, 'drizzle/meta/_journal.json'), 'utf8')) as {
    entries: unknown[];
  }
).entries.length;

const dirs: string[] = [];
function emptyDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'okc-start-'));
  dirs.push(dir);
  return dir;
}
function removeDirs() {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

describe('npm start without a usable configuration', () => {
  afterEach(removeDirs);

  it('exits non-zero naming every missing variable, its expected form and the README, and writes nothing', async () => {
    const cwd = emptyDir();
    const run = await runTsx(MAIN, { cwd, env: cleanEnv() });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('SLACK_BOT_TOKEN');
    expect(run.stderr).toContain('SLACK_SIGNING_SECRET');
    expect(run.stderr).toContain('xoxb-');
    expect(run.stderr).toContain('README.md');
    expect(run.stdout).toBe('');
    // No ./data folder, no database, no generated key.
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('names each malformed variable and never echoes a secret value', async () => {
    const cwd = emptyDir();
    const malformed = {
      SLACK_BOT_TOKEN: 'xoxp-user-token-do-not-echo-1111',
      SLACK_SIGNING_SECRET: 'not-hex-do-not-echo-2222',
      ENCRYPTION_KEY: 'too-short-do-not-echo-3333',
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
    };
    const run = await runTsx(MAIN, { cwd, env: cleanEnv(malformed) });

    expect(run.code).toBe(1);
    for (const name of Object.keys(malformed)) expect(run.stderr).toContain(`${name}:`);
    for (const secret of ['do-not-echo', 'xoxp-user']) {
      expect(run.stdout + run.stderr).not.toContain(secret);
    }
    expect(run.stderr).toContain('README.md');
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('npm start when Slack refuses or cannot be reached', () => {
  afterEach(removeDirs);

  it('exits non-zero naming SLACK_BOT_TOKEN when Slack refuses the token', async () => {
    const slack = await startSlackPeer({ botToken: 'xoxb-the-right-one' });
    try {
      const cwd = emptyDir();
      const run = await runTsx(MAIN, {
        cwd,
        env: cleanEnv({
          SLACK_BOT_TOKEN: BOT_TOKEN,
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_API_URL: slack.apiUrl,
          HOST: '127.0.0.1',
          PORT: String(await freePort()),
        }),
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/SLACK_BOT_TOKEN: Slack refused it \(invalid_auth\)/);
      expect(run.stdout + run.stderr).not.toContain('secretpart');
    } finally {
      await slack.close();
    }
  });

  it('exits non-zero saying Slack could not be reached', async () => {
    const cwd = emptyDir();
    const port = await freePort();
    const run = await runTsx(MAIN, {
      cwd,
      env: cleanEnv({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: `http://127.0.0.1:${port}/api/`,
        HOST: '127.0.0.1',
        PORT: String(await freePort()),
      }),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Slack could not be reached at http:\/\/127\.0\.0\.1/);
  });
});

/**
 * One bot process for the whole block, started as on a fresh clone (no ENCRYPTION_KEY,
 * NODE_ENV unset); the tests look at it in order and the last one stops it.
 */
describe('npm start with a configuration', () => {
  let slack: SlackPeer;
  let bot: TsxProcess;
  let dataDir: string;
  let baseUrl: string;

  beforeAll(async () => {
    slack = await startSlackPeer({ botToken: BOT_TOKEN });
    const port = await freePort();
    const cwd = emptyDir();
    dataDir = join(emptyDir(), 'data');
    baseUrl = `http://127.0.0.1:${port}`;
    bot = startTsx(MAIN, {
      cwd,
      env: cleanEnv({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_PATH: join(dataDir, 'okta-connect.sqlite'),
      }),
    });
    await waitForHealthz(bot, baseUrl, { timeoutMs: 15_000, intervalMs: 100 });
  });

  afterAll(async () => {
    bot?.killGroup();
    await slack?.close();
    removeDirs();
  });

  it('generates the encryption key into the data folder with mode 0600, and warns', () => {
    const keyFile = join(dataDir, 'encryption.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64')).toHaveLength(32);
    const warning = logLines(bot.stdout()).find((line) =>
      String(line.msg).includes('ENCRYPTION_KEY is not set'),
    );
    expect(warning).toMatchObject({ level: 40 });
    expect(String(warning?.msg)).toContain(keyFile);
  });

  it('migrates the database and answers GET /healthz with its status', async () => {
    expect(existsSync(join(dataDir, 'okta-connect.sqlite'))).toBe(true);
    const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5000) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      database: { ok: true, dialect: 'sqlite', journalMode: 'wal', migrations: MIGRATIONS },
    });
  });

  it('uses the bot token with Slack but logs JSON lines that never contain it or the signing secret', async () => {
    // Bolt checks the token with auth.test at start-up: the token did travel, to Slack only.
    await slack.waitForCalls('auth.test');
    const lines = bot.stdout().trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) {
      expect(() => JSON.parse(line), line).not.toThrow();
      expect(line).not.toContain(BOT_TOKEN);
      expect(line).not.toContain(SIGNING_SECRET);
    }
    expect(bot.stderr()).not.toContain(BOT_TOKEN);
    expect(bot.stderr()).not.toContain(SIGNING_SECRET);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    bot.signal('SIGTERM');
    const { code, signal } = await bot.finished(10_000);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(logLines(bot.stdout()).some((line) => line.msg === 'shutting down')).toBe(true);
  });
});

function logLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
