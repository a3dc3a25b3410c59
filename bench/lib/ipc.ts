/** The messages between the orchestrator and a child (see children.ts). */
export interface Request {
  id: number;
  command: string;
  args?: unknown;
}

export type Reply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string };

export type Handlers = Record<string, (args: never) => unknown>;

/** CPU time this process has used so far, user and system, in microseconds. */
function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/**
 * The child's side: tells the parent it is ready, then answers each command with its
 * handler's result; `cpu` is answered for every child. `exit` runs `onExit` and ends the process cleanly, so that
 * `--cpu-prof` writes its profile. A lost parent ends the child too.
 */
export function serveCommands(
  ready: unknown,
  handlers: Handlers,
  onExit: () => Promise<void> | void = () => {},
): void {
  const send = (message: unknown) => process.send?.(message);
  process.on('message', async (request: Request) => {
    if (request.command === 'exit') {
      await onExit();
      process.exit(0);
    }
    const handler = request.command === 'cpu' ? cpuMicros : handlers[request.command];
    try {
      if (!handler) throw new Error(`unknown command ${request.command}`);
      const result = await handler(request.args as never);
      send({ id: request.id, ok: true, result } satisfies Reply);
    } catch (error) {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      send({ id: request.id, ok: false, error: text } satisfies Reply);
    }
  });
  process.on('disconnect', () => process.exit(1));
  send({ ready });
}
