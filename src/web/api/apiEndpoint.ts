import type { CustomRoute } from '@slack/bolt';
import type { AlertChannel } from '../../flows/alerts.ts';
import type { FlowDeps } from '../../flows/deps.ts';
import { sendJson, sendStream } from '../respond.ts';
import { API_ERRORS, type ApiErrorCode } from './apiErrors.ts';
import { type ApiKey, matchApiKey } from './apiKeys.ts';

type RouteHandler = CustomRoute['handler'];
type ApiRequest = Parameters<RouteHandler>[0];

/** What every endpoint of the connection API is built from. */
export interface ApiContext {
  flows: FlowDeps;
  alerts: AlertChannel;
  keys: readonly ApiKey[];
  /** This process in refresh leases. */
  owner: string;
}

export interface ApiCall {
  req: ApiRequest;
  key: ApiKey;
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

/**
 * Wraps one endpoint with what every call of the connection API gets: off (404) without
 * configured keys, 401 without a valid key, a JSON 500 for a bug, and one audit row per
 * authenticated call naming the key by its id, never by its value.
 */
export function apiEndpoint(
  ctx: ApiContext,
  action: string,
  handle: (call: ApiCall) => Promise<ApiOutcome>,
): RouteHandler {
  const { flows } = ctx;
  return (req, res) => {
    if (ctx.keys.length === 0) {
      return sendJson(res, 404, { error: 'api_disabled', message: API_ERRORS.api_disabled });
    }
    const raw = req.url ?? '/';
    const queryAt = raw.indexOf('?');
    const path = queryAt === -1 ? raw : raw.slice(0, queryAt);
    const presented = BEARER.exec(req.headers.authorization ?? '')?.[1];
    const key = presented === undefined ? null : matchApiKey(ctx.keys, presented);
    if (!key) {
      flows.logger.warn(
        { path: path.slice(0, AUDIT_PATH_MAX), presented: presented !== undefined },
        'connection API call without a valid key',
      );
      return sendJson(
        res,
        401,
        { error: 'unauthorized', message: API_ERRORS.unauthorized },
        { 'WWW-Authenticate': 'Bearer realm="okta-connect"' },
      );
    }
    const call: ApiCall = {
      req,
      key,
      path,
      query: new URLSearchParams(queryAt === -1 ? '' : raw.slice(queryAt + 1)),
    };
    const respond = async () => {
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
      audit(ctx, call, action, reply.status, outcome);
      await sent;
    };
    respond().catch((error: unknown) => {
      // The tool or Okta broke off while the answer streamed; nothing is left to send.
      flows.logger.warn({ err: error, action, keyId: key.id }, 'connection API answer cut short');
      res.destroy();
    });
  };
}

function audit(
  ctx: ApiContext,
  call: ApiCall,
  action: string,
  status: number,
  outcome: ApiOutcome,
) {
  try {
    ctx.flows.audit.record({
      teamId: outcome.teamId ?? call.key.teamId ?? '*',
      connectionId: outcome.connectionId ?? null,
      actor: `api:${call.key.id}`,
      action: `api.${action}`,
      details: {
        method: call.req.method ?? 'GET',
        path: call.path.slice(0, AUDIT_PATH_MAX),
        status,
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
