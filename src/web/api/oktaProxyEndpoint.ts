import { z } from 'zod';
import type { Connection } from '../../db/connectionsRepo.ts';
import { proxyManagementCall } from '../../flows/proxyManagementCall.ts';
import { BodyTooLarge, readBody } from '../http.ts';
import { type ApiCall, type ApiContext, type ApiOutcome, errorReply } from './apiEndpoint.ts';
import { INSUFFICIENT_SCOPE_FIX } from './apiErrors.ts';
import { findConnection } from './findConnection.ts';
import { refusedByKey } from './keyRights.ts';
import { passedHeaders } from './proxyHeaders.ts';
import { proxyTarget } from './proxyTarget.ts';
import { tokenProblemReply } from './tokenProblemReply.ts';

/**
 * Okta's own request bodies (a user, a group rule, a policy) are a few kB; a megabyte
 * leaves room for bulk calls while keeping one request from holding much memory.
 */
const PROXY_BODY_LIMIT_BYTES = 1024 * 1024;

export const PROXY_METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;
const method = z.enum(PROXY_METHODS);

/**
 * `/api/connections/:nickname/okta/api/v1/…`: the tool's call, sent to that org's
 * Management API with the connection's fresh access token in place of the API key, and
 * Okta's answer passed back (status, body, a safe subset of headers). A 403 Insufficient
 * Scope marks the connection and alerts its channel before the 403 goes back.
 */
export function oktaProxyEndpoint(ctx: ApiContext) {
  return async (call: ApiCall): Promise<ApiOutcome> => {
    const target = proxyTarget(call.req.url ?? '');
    if (!target) return { reply: errorReply(400, 'bad_path') };
    const verb = method.safeParse(call.req.method);
    if (!verb.success) return { reply: errorReply(400, 'bad_request') };
    const found = await findConnection(ctx.flows, call, target.team);
    if (!found.ok) return found.outcome;
    const { connection } = found;
    const refused = refusedByKey(call, { kind: 'proxy', method: verb.data }, connection);
    if (refused) return refused;
    const audited = { teamId: connection.teamId, connectionId: connection.id };

    let body: Buffer | null = null;
    if (verb.data !== 'GET') {
      try {
        body = await readBody(call.req, PROXY_BODY_LIMIT_BYTES);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        // The rest of the body is never read: the connection closes after the answer.
        return {
          ...audited,
          reply: errorReply(413, 'body_too_large', {}, { Connection: 'close' }),
        };
      }
    }
    const outcome = await proxyManagementCall(
      ctx.flows,
      ctx.alerts,
      connection,
      {
        method: verb.data,
        path: target.path,
        search: target.search,
        accept: call.req.headers.accept ?? null,
        contentType: call.req.headers['content-type'] ?? null,
        body,
      },
      { owner: ctx.owner },
    );
    if (!outcome.ok && outcome.code === 'insufficient_scope') {
      return {
        ...audited,
        reply: errorReply(403, 'insufficient_scope', {
          scope: outcome.scope,
          fix: INSUFFICIENT_SCOPE_FIX,
        }),
        details: { problem: 'insufficient_scope', scope: outcome.scope },
      };
    }
    if (!outcome.ok) {
      return { ...audited, reply: tokenProblemReply(outcome), details: { problem: outcome.code } };
    }
    const { response } = outcome;
    if (response.status === 401) {
      await response.body?.cancel();
      return {
        ...audited,
        reply: errorReply(502, 'okta_refused_token'),
        details: { oktaStatus: 401 },
      };
    }
    return {
      ...audited,
      reply: {
        kind: 'stream',
        status: response.status,
        headers: passedHeaders(response, proxyLink(ctx, connection)),
        body: response.body,
      },
      details: { oktaStatus: response.status },
    };
  };
}

/**
 * Okta's pagination links, pointed back at this proxy. The team is named in them, so
 * that following a link keeps working for an all-teams key even if another team later
 * takes the same nickname.
 */
function proxyLink(ctx: ApiContext, connection: Connection) {
  const oktaOrigin = new URL(ctx.flows.orgs.origin(connection.domain)).origin;
  const base = `${ctx.flows.settings.publicUrl}/api/connections/${encodeURIComponent(connection.nickname)}/okta`;
  return (url: URL): string | null => {
    if (url.origin !== oktaOrigin || !url.pathname.startsWith('/api/v1/')) return null;
    // Okta's query is kept byte for byte (its cursors are opaque); `team` is appended.
    const team = `team=${encodeURIComponent(connection.teamId)}`;
    return `${base}${url.pathname}${url.search ? `${url.search}&` : '?'}${team}`;
  };
}
