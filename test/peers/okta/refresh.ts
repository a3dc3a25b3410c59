/**
 * The refresh_token grant with Okta's rotation rules: STATIC tokens are returned
 * unchanged; ROTATE tokens are replaced on every use, the replaced one still works for
 * `leewaySeconds`, and a replaced token used after that is treated as stolen: the whole
 * family (every refresh and access token of the authorization) is revoked.
 */
import type { ServerResponse } from 'node:http';
import type { PeerCore } from './core.ts';
import { sendOAuthError, sendTokenJson } from './http.ts';
import { mintTokens } from './issue.ts';
import type { App } from './model.ts';

const INVALID_REFRESH = 'The refresh token is invalid or expired.';

export async function handleRefreshGrant(
  core: PeerCore,
  app: App,
  form: URLSearchParams,
  res: ServerResponse,
): Promise<void> {
  const { state, clock } = core;
  const token = form.get('refresh_token');
  if (token === null) {
    return sendOAuthError(
      res,
      400,
      'invalid_request',
      "The required parameter 'refresh_token' is missing.",
    );
  }
  const record = state.refreshTokens.get(token);
  if (!record || record.authorization.clientId !== app.clientId) {
    return sendOAuthError(res, 400, 'invalid_grant', INVALID_REFRESH);
  }
  const status = state.refreshStatus(record);
  if (status === 'revoked' || status === 'expired') {
    return sendOAuthError(res, 400, 'invalid_grant', INVALID_REFRESH);
  }
  const { authorization } = record;
  if (status === 'rotated') {
    const withinGrace =
      app.rotation === 'ROTATE' &&
      record.rotatedAt !== null &&
      clock.now() - record.rotatedAt < app.leewaySeconds * 1000;
    if (!withinGrace) {
      authorization.revoked = true;
      core.systemLog.record(
        'app.oauth2.token.detect_reuse',
        'Refresh token reuse detected',
        state.requireUser(authorization.userId),
        app.clientId,
        { result: 'FAILURE', reason: 'Refresh token reuse detected; token family revoked' },
      );
      return sendOAuthError(res, 400, 'invalid_grant', INVALID_REFRESH);
    }
  }

  const requested = form
    .get('scope')
    ?.split(' ')
    .filter((scope) => scope !== '');
  const denied = requested?.filter((scope) => !authorization.scopes.includes(scope)) ?? [];
  if (denied.length > 0) {
    return sendOAuthError(
      res,
      400,
      'access_denied',
      `Some of the scopes requested for the refresh request were not granted in the original authorize request. Denied scopes: ${denied.join(', ')}.`,
    );
  }

  // Decided before any await, so two concurrent uses of one token cannot both rotate it.
  let refreshToken = authorization.currentRefreshToken ?? token;
  if (app.rotation === 'ROTATE' && status === 'active') {
    refreshToken = state.addRefreshToken(authorization);
  }
  const body = await mintTokens(core, authorization, {
    scopes: requested?.length ? requested : authorization.scopes,
    refreshToken,
    nonce: undefined,
  });
  sendTokenJson(res, body);
}
