import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { match } from 'path-to-regexp';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { requestContext } from '../requestContext.ts';
import { sendPage } from './http.ts';
import { html } from './pages/html.ts';
import { renderPage } from './pages/page.ts';
import { renderNotFoundPage } from './pages/renderNotFoundPage.ts';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

interface CompiledRoute {
  path: string;
  methods: Set<string>;
  match: ReturnType<typeof match>;
  handler: CustomRoute['handler'];
}

export interface WebServer {
  server: Server;
  listen(port: number, host: string): Promise<number>;
  /** Stops taking requests and waits (bounded) for those under way. */
  close(graceMs?: number): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The request target as a URL, or null for one the URL parser refuses (`//`, `//a@/`). */
function parseTarget(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://bot.invalid');
  } catch {
    return null;
  }
}

/** `decodeURIComponent` throws on a broken escape such as `/connect/%E0%A4%A`. */
function matchPath(route: CompiledRoute, pathname: string) {
  try {
    return route.match(pathname);
  } catch (error) {
    if (error instanceof URIError) return 'malformed' as const;
    throw error;
  }
}

/** What a route that failed answers: most often the database cannot be reached. */
function unavailablePage() {
  return renderPage({
    status: 503,
    title: 'Try again in a minute',
    main: html`<h1>The bot cannot answer right now</h1>
<p>Its database did not answer. Nothing was changed; try again in a minute.</p>
<p>If it keeps happening, tell whoever runs okta-connect: its <code>/readyz</code> says why.</p>`,
  });
}

/** A request target the bot cannot read: the not-found page, as a 400. */
function badRequestPage() {
  return { ...renderNotFoundPage(), status: 400 };
}

/**
 * The bot's one HTTP server: Slack's request URL (handed to Bolt's receiver) and the
 * bot's own routes. Each request runs in its own log context with a request id; what is
 * logged is the route pattern, never the raw path (a setup link carries its token).
 */
export function createWebServer(options: {
  routes: readonly CustomRoute[];
  slack?: { path: string; listener: Listener };
  logger: Logger;
  metrics: Metrics;
}): WebServer {
  const routes: CompiledRoute[] = options.routes.map((route) => ({
    path: route.path,
    methods: new Set(
      (Array.isArray(route.method) ? route.method : [route.method]).map((m) => m.toUpperCase()),
    ),
    match: match(route.path, { decode: decodeURIComponent }),
    handler: route.handler,
  }));
  const underWay = new Set<ServerResponse>();
  let closing = false;
  let idle: (() => void) | null = null;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const offered = req.headers['x-request-id'];
    const reqId =
      typeof offered === 'string' && REQUEST_ID.test(offered)
        ? offered
        : // 16 hex digits; randomUUID draws from a cached pool, randomBytes asks the OS each time.
          randomUUID().replaceAll('-', '').slice(0, 16);
    res.setHeader('X-Request-Id', reqId);
    const started = process.hrtime.bigint();
    const url = parseTarget(req.url);
    let route = 'unmatched';
    underWay.add(res);
    if (closing) res.setHeader('Connection', 'close');
    // An answer given before the body was read (Bolt's 413 for an oversized body, a
    // refusal): read the rest and drop it, or a client still sending never gets to read
    // the answer and both sides wait until the request times out.
    res.on('finish', () => {
      if (!req.complete) req.resume();
    });
    res.on('close', () => {
      underWay.delete(res);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      options.metrics.httpRequests.inc({ route, status: String(res.statusCode) });
      options.metrics.flowDuration.observe({ flow: `http ${route}` }, seconds);
      if (underWay.size === 0) idle?.();
    });
    requestContext.run({ reqId }, () => {
      // An exception here would escape the server's 'request' event and end the process:
      // one odd request line must not take the bot down for everyone.
      const failed = (error: unknown) => {
        options.logger.error({ err: error, route }, 'route failed');
        if (!res.headersSent) sendPage(res, unavailablePage());
        else res.destroy();
      };
      try {
        // An asynchronous route that fails (the database down, say) is answered the same
        // way, instead of becoming an unhandled rejection that would end the process.
        dispatch(req, res, url, (matched) => {
          route = matched;
        })?.catch(failed);
      } catch (error) {
        failed(error);
      }
    });
  };

  const dispatch = (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL | null,
    matched: (route: string) => void,
  ) => {
    if (!url) return sendPage(res, badRequestPage());
    if (options.slack && url.pathname === options.slack.path) {
      matched(options.slack.path);
      options.slack.listener(req, res);
      return;
    }
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    for (const candidate of routes) {
      const found = matchPath(candidate, url.pathname);
      if (found === 'malformed') return sendPage(res, badRequestPage());
      if (!found || (!candidate.methods.has(method) && !candidate.methods.has(req.method ?? '')))
        continue;
      matched(candidate.path);
      Object.assign(req, { params: found.params });
      const answered: unknown = candidate.handler(
        req as Parameters<CustomRoute['handler']>[0],
        res,
      );
      return answered instanceof Promise ? answered : undefined;
    }
    sendPage(res, renderNotFoundPage());
  };

  const server = createServer(handle);
  // Slow or stalled clients cannot hold sockets forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 20_000;
  // Longer than the idle timeout of common proxies and clients (60 s), so that the client
  // closes an idle connection first: a server closing it just as the client reuses it
  // makes that request fail with ECONNRESET.
  server.keepAliveTimeout = 65_000;
  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      }),
    async close(graceMs = 10_000) {
      // server.close() only stops new connections: a kept-alive one (a reverse proxy's
      // pool) could go on sending requests. Answers from now on say Connection: close,
      // so each such connection ends with the request it carries.
      closing = true;
      for (const res of underWay) if (!res.headersSent) res.setHeader('Connection', 'close');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (underWay.size > 0) {
        await Promise.race([
          new Promise<void>((resolve) => {
            idle = resolve;
          }),
          new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
        ]);
      }
      server.closeAllConnections();
      await closed;
    },
  };
}
