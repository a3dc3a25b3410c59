import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from '../../scripts/bundle.js';
import { compiledServer } from './compiled.ts';
import type { Reply, Request } from './ipc.ts';

/** The project folder: children run from it whatever the working directory. */
export { ROOT };

/** A child process that runs one TypeScript file and answers commands over IPC. */
export interface Child<Ready> {
  readonly name: string;
  readonly pid: number;
  /** What the child said once it was listening (ports, URLs). */
  readonly ready: Ready;
  call<T>(command: string, args?: unknown, timeoutMs?: number): Promise<T>;
  /** Asks the child to exit by itself (a CPU profile is only written on a clean exit). */
  stop(timeoutMs?: number): Promise<void>;
  /** SIGKILL to the child's process group; safe to call twice. */
  kill(): void;
  /** The end of the child's log, for error messages. */
  logTail(lines?: number): string;
}

const running = new Set<Child<unknown>>();

/** Kills every child still running: called from `finally` and on the way out. */
export function killAll(): void {
  for (const child of running) child.kill();
}

process.on('exit', killAll);

/**
 * Starts `node --import tsx <script>` (or, `compiled`, node and the script built as the bot
 * is built) in its own process group (so that a crash of the orchestrator can still kill it
 * and anything it started) with an IPC channel, stdout and
 * stderr written to `<logDir>/<name>.log`, and waits for its ready message.
 */
export async function startChild<Ready>(
  name: string,
  script: string,
  options: {
    logDir: string;
    env?: Record<string, string>;
    nodeArgs?: string[];
    readyTimeoutMs?: number;
    /** Built as `npm run build` builds the bot and run with plain node (no tsx). */
    compiled?: boolean;
  },
): Promise<Child<Ready>> {
  const entry = options.compiled
    ? [await compiledServer(script)]
    : ['--import', 'tsx', resolve(ROOT, script)];
  const logPath = join(options.logDir, `${name}.log`);
  const log = openSync(logPath, 'w');
  const proc: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', log, log, 'ipc'],
    detached: true,
  });
  closeSync(log);
  const pid = proc.pid;
  if (pid === undefined) throw new Error(`could not start ${name}`);

  let exited = false;
  let nextId = 1;
  const pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (e: Error) => void }
  >();
  const logTail = (lines = 20) => {
    try {
      return readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };
  const exitedPromise = new Promise<void>((resolve) => {
    proc.once('exit', (code, signal) => {
      exited = true;
      running.delete(child);
      for (const { reject } of pending.values()) {
        reject(new Error(`${name} exited (${signal ?? code}) during a call\n${logTail()}`));
      }
      pending.clear();
      resolve();
    });
  });

  // No check of `exited`: the group may outlive its leader.
  const kill = () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  };

  const ready = new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} was not ready in time\n${logTail()}`)),
      options.readyTimeoutMs ?? 30_000,
    );
    void exitedPromise.then(() => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready\n${logTail()}`));
    });
    proc.on('message', (message: Reply | { ready: Ready }) => {
      if ('ready' in message) {
        clearTimeout(timer);
        resolve(message.ready);
        return;
      }
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`${name}: ${message.error}`));
    });
  });

  const child: Child<Ready> = {
    name,
    pid,
    ready: undefined as Ready,
    call<T>(command: string, args?: unknown, timeoutMs = 600_000): Promise<T> {
      if (exited) return Promise.reject(new Error(`${name} is not running\n${logTail()}`));
      const id = nextId++;
      const request: Request = { id, command, args };
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${name}: ${command} took longer than ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value as T);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        proc.send(request);
      });
    },
    async stop(timeoutMs = 15_000) {
      if (exited) return;
      proc.send({ id: 0, command: 'exit' } satisfies Request);
      const timer = setTimeout(kill, timeoutMs);
      await exitedPromise;
      clearTimeout(timer);
      kill();
    },
    kill,
    logTail,
  };
  running.add(child);
  try {
    Object.assign(child, { ready: await ready });
  } catch (error) {
    kill();
    throw error;
  }
  return child;
}
