import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request or job a log line belongs to. Every HTTP request and every sweep runs in
 * its own context, so pino's mixin stamps each line — Bolt's included — with its id.
 */
export const requestContext = new AsyncLocalStorage<{ reqId?: string; jobId?: string }>();

export function currentContext(): { reqId?: string; jobId?: string } {
  return requestContext.getStore() ?? {};
}
