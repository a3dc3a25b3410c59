import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './waitUntil.ts';

/** The project folder, so that scripts run the same from any working directory. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface TsxProcess {
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  exited(): boolean;
  /** Resolves once the process has exited and its output is read; rejects after `timeoutMs`. */
  finished(timeoutMs: number): Promise<Finished>;
  signal(signal: NodeJS.Signals): void;
  /** SIGKILL to the process group this helper created (tsx runs the script in a child). */
  killGroup(): void;
}

/** Nothing from the test runner's environment: PATH and HOME, as a fresh shell has, plus `vars`. */
export function cleanEnv(vars: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...vars };
}

/** Runs `node_modules/.bin/tsx <script>` (a path inside the project) in `cwd` with exactly `env`. */
export function startTsx(script: string, options: { env: Record<string, string>; cwd: string }) {
  return startProcess(script, [TSX, join(ROOT, script)], options);
}

/** Runs `command` (`[file, ...args]`), named `label` in errors, in `cwd` with exactly `env`. */
export function startProcess(
  label: string,
  command: readonly string[],
  options: { env: Record<string, string>; cwd: string },
): TsxProcess {
  const [file, ...args] = command;
  if (!file) throw new Error(`${label}: empty command`);
  const child: ChildProcess = spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a failed test can kill tsx and the node process under it.
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const closed = new Promise<Finished>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  let hasClosed = false;
  void closed.then(
    () => {
      hasClosed = true;
    },
    () => {
      hasClosed = true;
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${label}`);

  const running: TsxProcess = {
    pid,
    stdout: () => stdout,
    stderr: () => stderr,
    exited: () => hasClosed,
    finished(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${label} still running after ${timeoutMs} ms\n${stderr}`)),
          timeoutMs,
        );
      });
      return Promise.race([closed, timeout]).finally(() => clearTimeout(timer));
    },
    signal(signal) {
      child.kill(signal);
    },
    killGroup() {
      if (hasClosed) return;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    },
  };
  return running;
}

/** Runs a script to its end (bounded), killing it if it overruns. */
export function runTsx(
  script: string,
  options: { env: Record<string, string>; cwd: string; timeoutMs?: number },
): Promise<Finished> {
  return runProcess(startTsx(script, options), options.timeoutMs);
}

/** Waits for a started process to end (bounded), killing it if it overruns. */
export async function runProcess(run: TsxProcess, timeoutMs = 15_000): Promise<Finished> {
  try {
    return await run.finished(timeoutMs);
  } finally {
    run.killGroup();
  }
}

/**
 * Polls `${baseUrl}/healthz` until it answers 200; fails at once if the process exits,
 * and after `timeoutMs`, with what it wrote.
 */
export function waitForHealthz(
  child: TsxProcess,
  baseUrl: string,
  options: { timeoutMs: number; intervalMs?: number },
): Promise<void> {
  return waitUntil(
    async () => {
      if (child.exited()) {
        throw new Error(`the bot exited before answering:\n${child.stderr()}\n${child.stdout()}`);
      }
      try {
        const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(1000) });
        await res.body?.cancel();
        return res.status === 200;
      } catch {
        return false; // Not listening yet.
      }
    },
    `200 from ${baseUrl}/healthz`,
    { ...options, detail: () => `${child.stdout()}\n${child.stderr()}` },
  );
}
