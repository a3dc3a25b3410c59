import type { CustomRoute } from '@slack/bolt';
import type { AlertChannel } from '../../flows/alerts.ts';
import { type ApiPrincipal, checkManagedKey } from '../../flows/apiKeyAccess.ts';
import type { FlowDeps } from '../../flows/deps.ts';
import type { Metrics } from '../../metrics.ts';
import { sendJson, sendStream } from '../respond.ts';
import { API_ERRORS, type ApiErrorCode } from './apiErrors.ts';
import { type ApiKey, matchApiKey, principalOf } from './apiKeys.ts';

type RouteHandler = CustomRoute['handler'];
type ApiRequest = Parameters<RouteHandler>[0];

/** What every endpoint of the connection API is built from. */
export interface ApiContext {
  flows: FlowDeps;
  alerts: AlertChannel;
  /** The bootstrap keys of `API_KEY_HASHES`; managed keys are read from the database per call. */
  keys: readonly ApiKey[];
  /** This process in refresh leases. */
  owner: string;
  metrics?: Metrics;
}

export interface ApiCall {
  req: ApiRequest;
  key: ApiPrincipal;
  /** The path as requested, without the query: it goes to the audit trail, the query never does. */
  path: string;
  query: URLSearchParams;
}

export type ApiReply =
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  | {
      kind: 'stream';
      status: number;
      headers: Record<string, string>;
      body: ReadableStream<Uint8Array> | null;
    };

/** An endpoint's answer and what its audit row says besides key, path and status. */
export interface ApiOutcome {
  reply: ApiReply;
  /** The team the call concerned; default: the key's team, or `*` for an all-teams key. */
  teamId?: string | null;
  connectionId?: string | null;
  details?: Record<string, string | number | boolean | null>;
}

export function jsonReply(
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): ApiReply {
  return { kind: 'json', status, body, ...(headers ? { headers } : {}) };
}

export function errorReply(
  status: number,
  code: ApiErrorCode,
  extra: Record<string, unknown> = {},
  headers?: Record<string, string>,
): ApiReply {
  return jsonReply(status, { error: code, message: API_ERRORS[code], ...extra }, headers);
}

const BEARER = /^Bearer[ \t]+([\x21-\x7E]{1,512})[ \t]*$/i;

/** Where an audit row's path stops: enough to tell the call, not a whole URL a tool made up. */
const AUDIT_PATH_MAX = 300;

type Authenticated =
  | { ok: true; key: ApiPrincipal }
  | { ok: false; code: 'api_disabled' | 'unauthorized' }
  | { ok: false; code: 'key_expired' | 'key_revoked'; key: ApiPrincipal };

/**
 * The key presented: one of `API_KEY_HASHES` (every connection and action, as before
 * managed keys existed), else a managed key read from the database on this very call.
 */
async function authenticate(
  ctx: ApiContext,
  presented: string | undefined,
  ip: string | null,
): Promise<Authenticated> {
  if (presented !== undefined) {
    const bootstrap = matchApiKey(ctx.keys, presented);
    if (bootstrap) return { ok: true, key: principalOf(bootstrap) };
    const managed = await checkManagedKey(ctx.flows, presented, ip);
    if (managed.ok) return managed;
    if (managed.code !== 'unknown') {
      return {
        ok: false,
        code: managed.code === 'expired' ? 'key_expired' : 'key_revoked',
        key: managed.key,
      };
    }
  }
  const on = ctx.keys.length > 0 || (await ctx.flows.apiKeys.anyLive());
  return { ok: false, code: on ? 'unauthorized' : 'api_disabled' };
}

/** `okta_connect_api_requests_total`'s outcome: what happened, in a handful of values. */
function metricOutcome(status: number, outcome: ApiOutcome | null): string {
  if (outcome?.details?.refused === 'key_not_allowed') return 'not_allowed';
  if (status < 400) return 'ok';
  return status >= 500 ? 'error' : 'failed';
}

/**
 * Wraps one endpoint with what every call of the connection API gets: off (404) without
 * any key, 401 without a valid key (or with an expired or revoked one), a JSON 500 for a
 * bug, and one audit row per call of a known key naming it by id and name, never by value.
 */
export function apiEndpoint(
  ctx: ApiContext,
  action: string,
  handle: (call: ApiCall) => Promise<ApiOutcome>,
): RouteHandler {
  const { flows } = ctx;
  const count = (keyId: string, outcome: string) =>
    ctx.metrics?.apiRequests.inc({ key: keyId, outcome });
  return (req, res) => {
    const raw = req.url ?? '/';
    const queryAt = raw.indexOf('?');
    const path = queryAt === -1 ? raw : raw.slice(0, queryAt);
    const presented = BEARER.exec(req.headers.authorization ?? '')?.[1];
    const respond = async () => {
      const auth = await authenticate(ctx, presented, req.socket.remoteAddress ?? null);
      if (!auth.ok) {
        if (auth.code === 'api_disabled') {
          return sendJson(res, 404, { error: 'api_disabled', message: API_ERRORS.api_disabled });
        }
        const known = 'key' in auth ? auth.key : null;
        flows.logger.warn(
          {
            path: path.slice(0, AUDIT_PATH_MAX),
            presented: presented !== undefined,
            reason: auth.code,
            keyId: known?.id,
          },
          'connection API call without a valid key',
        );
        count(known?.id ?? 'none', auth.code === 'unauthorized' ? 'unauthorized' : auth.code);
        sendJson(
          res,
          401,
          { error: auth.code, message: API_ERRORS[auth.code] },
          { 'WWW-Authenticate': 'Bearer realm="okta-connect"' },
        );
        if (known) {
          await audit(
            ctx,
            { req, key: known, path, query: new URLSearchParams() },
            'refused',
            401,
            {
              reply: errorReply(401, auth.code),
              details: { refused: auth.code },
            },
          );
        }
        return;
      }
      const { key } = auth;
      const call: ApiCall = {
        req,
        key,
        path,
        query: new URLSearchParams(queryAt === -1 ? '' : raw.slice(queryAt + 1)),
      };
      let outcome: ApiOutcome;
      try {
        outcome = await handle(call);
      } catch (error) {
        flows.logger.error({ err: error, action, keyId: key.id }, 'connection API call failed');
        outcome = { reply: errorReply(500, 'internal_error') };
      }
      if (res.headersSent) return;
      const { reply } = outcome;
      const sent =
        reply.kind === 'json'
          ? sendJson(res, reply.status, reply.body, reply.headers)
          : sendStream(res, reply.status, reply.headers, reply.body);
      count(key.id, metricOutcome(reply.status, outcome));
      await audit(ctx, call, action, reply.status, outcome);
      await sent;
    };
    respond().catch((error: unknown) => {
      // The database failed before an answer, or the tool or Okta broke off while it streamed.
      flows.logger.warn({ err: error, action }, 'connection API answer cut short');
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: 'internal_error', message: API_ERRORS.internal_error });
    });
  };
}

async function audit(
  ctx: ApiContext,
  call: ApiCall,
  action: string,
  status: number,
  outcome: ApiOutcome,
) {
  try {
    await ctx.flows.audit.record({
      teamId: outcome.teamId ?? call.key.teamId ?? '*',
      connectionId: outcome.connectionId ?? null,
      actor: `api:${call.key.id}`,
      action: `api.${action}`,
      details: {
        method: call.req.method ?? 'GET',
        path: call.path.slice(0, AUDIT_PATH_MAX),
        status,
        ...(call.key.name === null ? {} : { keyName: call.key.name }),
        ...outcome.details,
      },
    });
  } catch (error) {
    ctx.flows.logger.error(
      { err: error, action, keyId: call.key.id },
      'could not audit an API call',
    );
  }
}
