import { connect } from 'node:net';

/**
 * Polls `check` every `intervalMs` until it holds; fails naming `what` (and `detail()`,
 * such as what a child process wrote) after `timeoutMs`. A `check` that throws ends the wait.
 */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  options: { timeoutMs?: number; intervalMs?: number; detail?: () => string } = {},
): Promise<void> {
  const { timeoutMs = 15_000, intervalMs = 25, detail } = options;
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      const more = detail ? `\n${detail()}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${more}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Polls (every 10 ms, for 3 s) for work the bot does after answering: Slack calls, DMs, alerts. */
export function eventually(check: () => boolean, what: string): Promise<void> {
  return waitUntil(check, what, { timeoutMs: 3000, intervalMs: 10 });
}

/** Whether a new TCP connection to `port` on 127.0.0.1 is refused (rather than accepted). */
export function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}
