import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './db/testDatabase.ts';
import { freePort } from './e2e/harness.ts';
import { startSlackPeer } from './peers/slack/index.ts';
import { cleanEnv, ROOT, runProcess, startProcess, waitForHealthz } from './tsxProcess.ts';

/**
 * `npm start` and `npm run rotate-key` run the JavaScript that `npm run build` (and `npm ci`,
 * through `prepare`) compiles into dist/, with no transpiler at run time. Each test runs the
 * command written in package.json, in an empty working folder with a clean environment.
 * Node's own type stripping is switched off where Node has it, so that a compiled file still
 * importing a `.ts` one fails here instead of being quietly stripped on Node 22.18 and later.
 */

const SCRIPTS = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;
const BOT_TOKEN = 'xoxb-compiled-0123456789-secretpart';
const SIGNING_SECRET = 'c0ffee0123456789abcdef0123456789';
const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');
// `process.features.typescript` exists from Node 22.10; stripping is off by default before.
const NO_STRIPPING = 'typescript' in process.features ? ['--no-experimental-strip-types'] : [];

/** The `node …` command of an npm script, as this Node runs it (paths from the project folder). */
function nodeCommand(script: string): string[] {
  const command = SCRIPTS[script] ?? '';
  const [program, ...args] = command.split(' ');
  expect(program, `npm run ${script} starts node itself: ${command}`).toBe('node');
  expect(command).not.toMatch(/tsx|ts-node|--import|--loader|--experimental/);
  const entry = args.at(-1) ?? '';
  expect(entry).toMatch(/^dist\/.+\.js$/);
  if (!existsSync(join(ROOT, entry))) throw new Error(`${entry} is missing: run npm run build`);
  return [
    process.execPath,
    ...NO_STRIPPING,
    ...args.map((arg) => (arg === entry ? join(ROOT, arg) : arg)),
  ];
}

function start(script: string, env: Record<string, string>) {
  return startProcess(`npm run ${script}`, nodeCommand(script), {
    cwd: tempDir(),
    env: cleanEnv(env),
  });
}

describe('npm start (compiled, no transpiler)', () => {
  it('starts from dist/, answers GET /healthz and stops on SIGTERM', async () => {
    const slack = await startSlackPeer({ botToken: BOT_TOKEN });
    const port = await freePort();
    const bot = start('start', {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      ENCRYPTION_KEY,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_PATH: join(tempDir(), 'okta-connect.sqlite'),
    });
    try {
      await waitForHealthz(bot, `http://127.0.0.1:${port}`, { timeoutMs: 15_000, intervalMs: 100 });
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await res.json()).toMatchObject({ status: 'ok', database: { ok: true } });
      bot.signal('SIGTERM');
      expect((await bot.finished(10_000)).code).toBe(0);
    } finally {
      bot.killGroup();
      await slack.close();
    }
  });

  it('prints stack traces that point at the TypeScript source line (source maps)', async () => {
    // A database path under a regular file: openDatabase's mkdirSync throws and nothing catches it.
    const file = join(tempDir(), 'not-a-folder');
    writeFileSync(file, '');
    const run = await runProcess(
      start('start', {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        ENCRYPTION_KEY,
        DATABASE_PATH: join(file, 'okta-connect.sqlite'),
      }),
    );
    const source = readFileSync(join(ROOT, 'src/db/openDatabase.ts'), 'utf8').split('\n');
    const line = source.findIndex((text) => text.includes('mkdirSync(dirname(path)')) + 1;

    expect(run.code).toBe(1);
    expect(line).toBeGreaterThan(0);
    expect(run.stderr).toContain(
      `at openDatabase (${join(ROOT, 'src/db/openDatabase.ts')}:${line}:`,
    );
    expect(run.stderr).toMatch(/at .*src\/start\.ts:\d+:\d+/);
    // Only the entry's own frame, the import of start.ts: main.js switches source maps on,
    // so its map is not read; every frame of the bot's code is mapped.
    const distFrames = run.stderr.split('\n').filter((line) => line.includes('/dist/'));
    expect(distFrames).toEqual([
      expect.stringMatching(/at async file:\/\/.*\/dist\/main\.js:\d+:\d+/),
    ]);
  });
});

describe('the build (npm run build)', () => {
  /** What a module of dist/ imports: packages by name, other files of dist/ by kind. */
  interface DistModule {
    packages: Set<string>;
    statics: string[];
    dynamics: string[];
  }

  /** Each .js file of dist/, read once, with what it imports. */
  function distModules(): Map<string, DistModule> {
    const found = new Map<string, DistModule>();
    for (const file of readdirSync(join(ROOT, 'dist')).filter((name) => name.endsWith('.js'))) {
      const code = readFileSync(join(ROOT, 'dist', file), 'utf8');
      const names = (pattern: RegExp) => [...code.matchAll(pattern)].map((m) => m[1] as string);
      found.set(file, {
        packages: new Set(names(/(?:from |import\()\s*"([^".][^"]*)"/g)),
        statics: names(/from\s*"\.\/([^"]+)"/g),
        dynamics: names(/import\("\.\/([^"]+)"\)/g),
      });
    }
    return found;
  }

  it('bundles drizzle-orm and zod (no import of them from node_modules) and imports the other dependencies', () => {
    const all = new Set([...distModules().values()].flatMap((module) => [...module.packages]));
    for (const name of all) {
      expect(name, `dist/ imports ${name}`).not.toMatch(/^(drizzle-orm|zod)(\/|$)/);
    }
    expect(all).toContain('@slack/bolt');
    expect(all).toContain('better-sqlite3');
  });

  it('loads PostgreSQL’s client only from the chunk that DATABASE_URL imports', () => {
    const modules = distModules();
    const withPg = [...modules].filter(([, module]) => module.packages.has('pg')).map(([f]) => f);
    expect(withPg.length).toBeGreaterThan(0);
    // What `npm start` loads on SQLite: main.js, the start chunk, and what they import statically.
    const loaded = new Set<string>();
    const visit = (file: string) => {
      if (loaded.has(file)) return;
      loaded.add(file);
      for (const imported of modules.get(file)?.statics ?? []) visit(imported);
    };
    visit('main.js');
    visit(modules.get('main.js')?.dynamics[0] as string);
    expect(loaded.size).toBeGreaterThan(2);
    for (const file of withPg) expect(loaded, `${file} imports pg`).not.toContain(file);
  });
});

describe('npm run rotate-key (compiled)', () => {
  it('runs from dist/ and explains what is missing', async () => {
    const run = await runProcess(start('rotate-key', {}));

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('rotate-key cannot run: the configuration has problems.');
    expect(run.stderr).toContain('ENCRYPTION_KEY: missing');
  });
});
