/**
 * The request pipeline: log → rate limit → injected fault → route. Limits and faults
 * come first because Okta's edge answers 429s before the endpoint, and faults stand in
 * for failures anywhere on the way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleAuthorize, handleLogout, handleSignIn } from './authorize.ts';
import type { PeerCore } from './core.ts';
import { handleDiscovery, handleKeys } from './discovery.ts';
import type { FaultInjector } from './faults.ts';
import { type Exchange, sendHtml, sendOAuthError, sendOktaError } from './http.ts';
import { handleManagement } from './management.ts';
import type { RateLimiter } from './rateLimit.ts';
import type { RequestRecord } from './requestLog.ts';
import { handleIntrospect, handleRevoke } from './revocation.ts';
import { SIGN_IN_PATH } from './signInPage.ts';
import { handleToken } from './token.ts';
import { handleUserinfo } from './userinfo.ts';

type Handler = (core: PeerCore, exchange: Exchange) => void | Promise<void>;

const ROUTES = new Map<string, Readonly<Record<string, Handler>>>([
  ['/.well-known/openid-configuration', { GET: handleDiscovery }],
  ['/.well-known/oauth-authorization-server', { GET: handleDiscovery }],
  ['/oauth2/v1/authorize', { GET: handleAuthorize }],
  [SIGN_IN_PATH, { POST: handleSignIn }],
  ['/oauth2/v1/token', { POST: handleToken }],
  ['/oauth2/v1/keys', { GET: handleKeys }],
  ['/oauth2/v1/revoke', { POST: handleRevoke }],
  ['/oauth2/v1/introspect', { POST: handleIntrospect }],
  ['/oauth2/v1/userinfo', { GET: handleUserinfo, POST: handleUserinfo }],
  ['/oauth2/v1/logout', { GET: handleLogout }],
]);

/** What a maintenance page or a misrouted proxy returns where Okta would send JSON. */
const GARBAGE_PAGE =
  '<!doctype html><html><head><title>Service unavailable</title></head><body><h1>We will be right back</h1></body></html>';

interface Pipeline {
  core: PeerCore;
  rateLimiter: RateLimiter;
  faults: FaultInjector;
  requests: RequestRecord[];
}

export async function serve(
  pipeline: Pipeline,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { core, rateLimiter, faults } = pipeline;
  const url = new URL(req.url ?? '/', core.issuer);
  const path = url.pathname;
  const method = req.method ?? 'GET';
  const record: RequestRecord = {
    method,
    path,
    query: Object.fromEntries(url.searchParams),
    at: core.clock.now(),
    status: 0,
  };
  pipeline.requests.push(record);
  res.on('finish', () => {
    record.status = res.statusCode;
  });

  const verdict = rateLimiter.check(path, record.at);
  if (verdict) {
    for (const [name, value] of Object.entries(verdict.headers)) res.setHeader(name, value);
    if (verdict.limited) {
      return sendOktaError(
        res,
        429,
        'E0000047',
        'API call exceeded rate limit due to too many requests.',
      );
    }
  }

  const fault = faults.take(path);
  switch (fault?.kind) {
    case 'drop':
      req.socket.destroy();
      return;
    case 'status':
      if (path.startsWith('/oauth2/')) {
        return sendOAuthError(
          res,
          fault.status,
          'server_error',
          'The authorization server encountered an unexpected condition that prevented it from fulfilling the request.',
        );
      }
      return sendOktaError(res, fault.status, 'E0000009', 'Internal Server Error');
    case 'garbage':
      return sendHtml(res, 200, GARBAGE_PAGE);
    case 'delay':
      await faults.hold(path, fault.ms);
      if (req.socket.destroyed) return;
      break;
    case 'delay-after': {
      // Held from arrival, so that a `clearFaults` during processing still releases it.
      const held = faults.hold(path, fault.ms);
      const answer = holdAnswer(req, res);
      await route(core, { req, res, url }, path, method);
      await held;
      answer.release();
      return;
    }
  }
  await route(core, { req, res, url }, path, method);
}

/**
 * Lets the handler write its answer but keeps it from the client until `release`: the
 * status and headers go out with the first `write`/`end`, so holding those holds it all.
 * A client that hung up meanwhile gets nothing, and the request keeps status 0.
 */
function holdAnswer(req: IncomingMessage, res: ServerResponse): { release(): void } {
  const calls: (() => void)[] = [];
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((...args: unknown[]) => {
    calls.push(() => write(...args));
    return true;
  }) as ServerResponse['write'];
  res.end = ((...args: unknown[]) => {
    calls.push(() => end(...args));
    return res;
  }) as ServerResponse['end'];
  return {
    release() {
      res.write = write as ServerResponse['write'];
      res.end = end as ServerResponse['end'];
      if (res.destroyed || req.socket.destroyed) return;
      for (const call of calls) call();
    },
  };
}

async function route(
  core: PeerCore,
  exchange: Exchange,
  path: string,
  method: string,
): Promise<void> {
  const { res } = exchange;
  if (path.startsWith('/api/v1/')) return handleManagement(core, exchange);
  const handlers = ROUTES.get(path);
  if (!handlers)
    return sendOktaError(
      res,
      404,
      'E0000007',
      `Not found: Resource not found: ${path} (${method})`,
    );
  const handler = handlers[method];
  if (!handler) {
    return sendOktaError(
      res,
      405,
      'E0000022',
      'The endpoint does not support the provided HTTP method',
      {
        allow: Object.keys(handlers).join(', '),
      },
    );
  }
  await handler(core, exchange);
}
