import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../test/e2e/harness.ts';
import { cleanEnv, startProcess, type TsxProcess, waitForHealthz } from '../../test/tsxProcess.ts';
import { compiledServer } from '../lib/compiled.ts';
import { median, round, rssOf } from '../lib/stats.ts';

/**
 * Time from `npm start` to the first 200 from `/healthz`, and the memory the started
 * processes hold once idle, for the two ways the bot has been started: `tsx src/main.ts`
 * (esbuild at run time, `npm start` before issue 12; `npm run dev` now) and the compiled
 * `node dist/main.js` (`npm start` now, built by esbuild). Both through npm, as operators
 * run them, against a database already migrated (a restart, not a first install).
 */

export const START_COMMANDS = {
  tsx: { script: 'dev', command: 'tsx src/main.ts' },
  compiled: { script: 'start', command: 'node dist/main.js' },
  // The yardstick for the idle memory (issue 12 §3): the bench's bare Bolt app, built as the
  // bot is built, started with node itself (no npm around it).
  bare: { script: null, command: 'node bareBolt.js (bare Bolt, built as the bot is)' },
} as const;
type Variant = keyof typeof START_COMMANDS;
/** How long the bot is left alone after /healthz before its memory is read. */
export const STARTUP_IDLE_MS = 2000;

export interface StartupVariant {
  variant: Variant;
  command: string;
  runs: number;
  /** `npm run …` spawned → first 200 from /healthz, in milliseconds. */
  toHealthzMs: { median: number; min: number; max: number };
  /** Once idle: the bot's node process, and every process the command left running (npm, sh, tsx). */
  idleRssBytes: { bot: number; all: number };
}

export interface StartupOptions {
  root: string;
  runs: number;
  idleMs: number;
  /** The bot's environment but PORT (one per run) and DATABASE_PATH (one per variant). */
  env: Record<string, string>;
  workDir: string;
  log: (line: string) => void;
}

/** RSS of every process in the process group `pgid` (Linux /proc), the largest first. */
function groupRss(pgid: number): number[] {
  const sizes: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command name, which may hold spaces: state ppid pgrp …
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp !== pgid) continue;
      sizes.push(rssOf(Number(entry)));
    } catch {
      // The process ended while it was read.
    }
  }
  return sizes.sort((a, b) => b - a);
}

/** SIGTERM to the whole group (npm, sh, tsx, node), SIGKILL if it is still there after 10 s. */
async function stopGroup(run: TsxProcess) {
  try {
    process.kill(-run.pid, 'SIGTERM');
    await run.finished(10_000);
  } catch {
    // Gone already, or deaf to SIGTERM.
  } finally {
    run.killGroup();
  }
}

async function startOnce(variant: Variant, options: StartupOptions) {
  const port = await freePort();
  const { script } = START_COMMANDS[variant];
  const command = script
    ? ['npm', 'run', '--silent', script]
    : [process.execPath, await compiledServer('bench/servers/bareBolt.ts')];
  const started = performance.now();
  const run = startProcess(START_COMMANDS[variant].command, command, {
    cwd: options.root,
    env: cleanEnv({
      ...options.env,
      PORT: String(port),
      DATABASE_PATH: join(options.workDir, `startup-${variant}.sqlite`),
    }),
  });
  try {
    await waitForHealthz(run, `http://127.0.0.1:${port}`, { timeoutMs: 60_000, intervalMs: 10 });
    const ms = performance.now() - started;
    await sleep(options.idleMs);
    const rss = groupRss(run.pid);
    return { ms, bot: rss[0] ?? 0, all: rss.reduce((sum, size) => sum + size, 0) };
  } finally {
    await stopGroup(run);
  }
}

export async function measureStartup(options: StartupOptions): Promise<StartupVariant[]> {
  const variants = Object.keys(START_COMMANDS) as Variant[];
  // A first start of each migrates its database and warms the disk cache: not counted.
  for (const variant of variants) await startOnce(variant, options);
  const samples = new Map(variants.map((variant) => [variant, [] as number[]]));
  const memory = new Map(
    variants.map((variant) => [variant, { bot: [] as number[], all: [] as number[] }]),
  );
  // Alternating, so that a busy moment on the machine does not fall on one variant only.
  for (let run = 0; run < options.runs; run += 1) {
    for (const variant of variants) {
      const once = await startOnce(variant, options);
      samples.get(variant)?.push(once.ms);
      memory.get(variant)?.bot.push(once.bot);
      memory.get(variant)?.all.push(once.all);
    }
  }
  return variants.map((variant) => {
    const times = samples.get(variant) ?? [];
    const rss = memory.get(variant) ?? { bot: [], all: [] };
    const result: StartupVariant = {
      variant,
      command: START_COMMANDS[variant].command,
      runs: times.length,
      toHealthzMs: {
        median: Math.round(median(times)),
        min: Math.round(Math.min(...times)),
        max: Math.round(Math.max(...times)),
      },
      idleRssBytes: { bot: median(rss.bot), all: median(rss.all) },
    };
    options.log(
      `  ${variant}: ${result.toHealthzMs.median} ms to /healthz (min ${result.toHealthzMs.min}), idle RSS ${round(result.idleRssBytes.bot / 2 ** 20, 1)} MB (all processes ${round(result.idleRssBytes.all / 2 ** 20, 1)} MB)`,
    );
    return result;
  });
}
