import type { Connection } from '../db/connectionsRepo.ts';
import { isBotError } from '../errors.ts';
import { forwardManagementCall, type ManagementCall } from '../okta/forwardManagementCall.ts';
import { parseInsufficientScope } from '../okta/managementApi.ts';
import type { AlertChannel } from './alerts.ts';
import type { FlowDeps } from './deps.ts';
import {
  DEFAULT_RETRY_AFTER_SECONDS,
  type FreshTokenOptions,
  freshAccessToken,
  type TokenProblem,
} from './freshAccessToken.ts';
import { noteInsufficientScope } from './noteInsufficientScope.ts';

type ProxyOutcome =
  /** Okta's answer, to pass back (its body not yet read). */
  | { ok: true; response: Response; connection: Connection }
  | { ok: false; code: 'insufficient_scope'; scope: string | null; connection: Connection }
  | TokenProblem;

/**
 * A tool's Management API call made with a connection's fresh access token. Two
 * answers from Okta mean something for the connection itself: 403 Insufficient Scope
 * marks it as needing attention and alerts the channel; 401 means Okta dropped the token
 * before its expiry (revoked), so it is refreshed once and the call tried again. Okta
 * did not act on a call it answered 401, so repeating it is safe. Should the refresh be
 * refused, the connection moves to `needs_reauth` now rather than at the token's expiry.
 */
export async function proxyManagementCall(
  deps: FlowDeps,
  alerts: AlertChannel,
  connection: Connection,
  call: ManagementCall,
  options: FreshTokenOptions,
): Promise<ProxyOutcome> {
  let token = await freshAccessToken(deps, alerts, connection, options);
  if (!token.ok) return token;
  let response = await send(deps, token.connection, token.accessToken, call);
  if (!(response instanceof Response)) return response;
  if (response.status === 401) {
    await response.body?.cancel();
    token = await freshAccessToken(deps, alerts, connection, {
      ...options,
      refused: token.accessToken,
    });
    if (!token.ok) return token;
    response = await send(deps, token.connection, token.accessToken, call);
    if (!(response instanceof Response)) return response;
  }
  const challenge = parseInsufficientScope(response.headers.get('www-authenticate'));
  if (response.status === 403 && challenge.insufficient) {
    await response.body?.cancel();
    const marked = await noteInsufficientScope(deps, alerts, token.connection, challenge.scope);
    return { ok: false, code: 'insufficient_scope', scope: challenge.scope, connection: marked };
  }
  return { ok: true, response, connection: token.connection };
}

async function send(
  deps: FlowDeps,
  connection: Connection,
  accessToken: string,
  call: ManagementCall,
): Promise<Response | TokenProblem> {
  try {
    return await forwardManagementCall(deps.orgs, connection.domain, accessToken, call);
  } catch (error) {
    if (!isBotError(error) || !error.retryable) throw error;
    deps.logger.warn(
      { connectionId: connection.id, code: error.code },
      'Okta did not answer a proxied call',
    );
    return {
      ok: false,
      code: 'okta_unavailable',
      retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS,
      error,
    };
  }
}
