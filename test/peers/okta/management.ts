/**
 * The slice of the Management API the bot calls. Each route names the scope it needs
 * (`manage` also satisfies `read`) and whether the caller must hold an admin role, so
 * the two Okta failures stay distinct: a token without the scope gets 403 with an empty
 * body and a WWW-Authenticate header naming the scope; a user without the permission
 * gets 403 E0000006.
 */
import { bearerRecord, sendInvalidToken } from './bearer.ts';
import type { PeerCore } from './core.ts';
import { type Exchange, sendEmpty, sendJson, sendOktaError } from './http.ts';
import type { User } from './model.ts';
import {
  appGrantsJson,
  everyoneGroupJson,
  oidcAppJson,
  roleAssignmentsJson,
  userJson,
} from './oktaObjects.ts';
import { allowsScope } from './scopes.ts';

interface Call {
  core: PeerCore;
  exchange: Exchange;
  caller: User;
  /** The path's captured segment (a user or app id), if the route has one. */
  param: string;
}

interface Route {
  pattern: RegExp;
  scope: string;
  /** Whether this call needs an admin role: reading one's own user does not. */
  needsAdmin: (call: Call) => boolean;
  answer: (call: Call) => void;
}

const always = () => true;

const ROUTES: readonly Route[] = [
  {
    pattern: /^\/api\/v1\/users\/me$/,
    scope: 'okta.users.read',
    needsAdmin: () => false,
    answer: ({ core, exchange, caller }) =>
      sendJson(exchange.res, 200, userJson(core.issuer, caller)),
  },
  {
    pattern: /^\/api\/v1\/users\/([^/]+)\/roles$/,
    scope: 'okta.roles.read',
    needsAdmin: always,
    answer: (call) => {
      const user = findUser(call);
      if (user) sendJson(call.exchange.res, 200, roleAssignmentsJson(call.core.issuer, user));
    },
  },
  {
    pattern: /^\/api\/v1\/users\/([^/]+)$/,
    scope: 'okta.users.read',
    needsAdmin: ({ caller, param }) => param !== caller.id && param !== caller.login,
    answer: (call) => {
      const user = findUser(call);
      if (user) sendJson(call.exchange.res, 200, userJson(call.core.issuer, user));
    },
  },
  {
    pattern: /^\/api\/v1\/users$/,
    scope: 'okta.users.read',
    needsAdmin: always,
    answer: ({ core, exchange }) => {
      const users = [...core.state.users.values()].slice(0, limitOf(exchange, 200));
      sendJson(
        exchange.res,
        200,
        users.map((user) => userJson(core.issuer, user)),
      );
    },
  },
  {
    pattern: /^\/api\/v1\/groups$/,
    scope: 'okta.groups.read',
    needsAdmin: always,
    answer: ({ core, exchange }) => {
      const groups = [everyoneGroupJson(core.issuer, core.clock.now())];
      sendJson(exchange.res, 200, groups.slice(0, limitOf(exchange, 10_000)));
    },
  },
  {
    pattern: /^\/api\/v1\/apps$/,
    scope: 'okta.apps.read',
    needsAdmin: always,
    answer: ({ core, exchange }) => {
      const apps = [...core.state.apps.values()].slice(0, limitOf(exchange, 20));
      sendJson(
        exchange.res,
        200,
        apps.map((app) => oidcAppJson(core.issuer, app)),
      );
    },
  },
  {
    pattern: /^\/api\/v1\/apps\/([^/]+)\/grants$/,
    scope: 'okta.appGrants.read',
    needsAdmin: always,
    answer: ({ core, exchange, param }) => {
      const app = core.state.apps.get(param);
      if (!app) return notFound(exchange, param, 'App');
      sendJson(exchange.res, 200, appGrantsJson(core.issuer, app));
    },
  },
  {
    pattern: /^\/api\/v1\/logs$/,
    scope: 'okta.logs.read',
    needsAdmin: always,
    answer: ({ core, exchange }) =>
      sendJson(exchange.res, 200, core.systemLog.list(limitOf(exchange, 100))),
  },
];

export function handleManagement(core: PeerCore, exchange: Exchange): void {
  const { req, res, url } = exchange;
  const match = matchRoute(url.pathname);
  const record = bearerRecord(core.state, req);
  if (!match) {
    notFound(exchange, url.pathname, req.method ?? 'GET');
  } else if (req.method !== 'GET') {
    sendOktaError(res, 405, 'E0000022', 'The endpoint does not support the provided HTTP method');
  } else if (!record) {
    sendInvalidToken(res);
  } else if (!allowsScope(record.scopes, match.route.scope)) {
    sendEmpty(res, 403, {
      'www-authenticate': `Bearer authorization_uri="${core.issuer}/oauth2/v1/authorize", realm="${core.issuer}", scope="${match.route.scope}", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="${url.pathname}"`,
    });
  } else {
    const caller = core.state.requireUser(record.authorization.userId);
    const call: Call = { core, exchange, caller, param: match.param };
    if (match.route.needsAdmin(call) && caller.roles.length === 0) {
      sendOktaError(
        res,
        403,
        'E0000006',
        'You do not have permission to perform the requested action',
      );
    } else {
      match.route.answer(call);
    }
  }
}

function matchRoute(path: string): { route: Route; param: string } | undefined {
  for (const route of ROUTES) {
    const groups = route.pattern.exec(path);
    if (groups) return { route, param: decodeURIComponent(groups[1] ?? '') };
  }
  return undefined;
}

function findUser({ core, exchange, caller, param }: Call): User | undefined {
  if (param === 'me') return caller;
  const user = core.state.users.get(param) ?? core.state.usersByLogin.get(param);
  if (!user) notFound(exchange, param, 'User');
  return user;
}

function notFound({ res }: Exchange, resource: string, kind: string): void {
  sendOktaError(res, 404, 'E0000007', `Not found: Resource not found: ${resource} (${kind})`);
}

function limitOf({ url }: Exchange, fallback: number): number {
  const limit = Number(url.searchParams.get('limit'));
  return Number.isInteger(limit) && limit > 0 ? limit : fallback;
}
