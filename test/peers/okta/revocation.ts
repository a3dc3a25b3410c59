/**
 * POST /oauth2/v1/revoke and /oauth2/v1/introspect. Both authenticate the client, and a
 * client only ever sees or revokes its own tokens.
 */
import { authenticateClient } from './clientAuth.ts';
import type { PeerCore } from './core.ts';
import { type Exchange, readForm, sendEmpty, sendJson, sendOAuthError } from './http.ts';

const MISSING_TOKEN = "The 'token' parameter is required.";

/** Answers 200 even for unknown tokens (RFC 7009 §2.2); a refresh token takes its whole family with it. */
export async function handleRevoke(core: PeerCore, { req, res }: Exchange): Promise<void> {
  const form = await readForm(req);
  const client = authenticateClient(core, req.headers.authorization, form, '/oauth2/v1/revoke');
  if (!client.ok) return sendOAuthError(res, client.status, client.error, client.description);
  const token = form.get('token');
  if (token === null) return sendOAuthError(res, 400, 'invalid_request', MISSING_TOKEN);
  const { state } = core;
  const refresh = state.refreshTokens.get(token);
  if (refresh && refresh.authorization.clientId === client.app.clientId)
    refresh.authorization.revoked = true;
  const access = state.accessTokens.get(token);
  if (access && access.authorization.clientId === client.app.clientId) access.revoked = true;
  sendEmpty(res, 200);
}

export async function handleIntrospect(core: PeerCore, { req, res }: Exchange): Promise<void> {
  const form = await readForm(req);
  const client = authenticateClient(core, req.headers.authorization, form, '/oauth2/v1/introspect');
  if (!client.ok) return sendOAuthError(res, client.status, client.error, client.description);
  const token = form.get('token');
  if (token === null) return sendOAuthError(res, 400, 'invalid_request', MISSING_TOKEN);
  const { state } = core;
  const access = state.activeAccessToken(token);
  const refresh = state.refreshTokens.get(token);
  const record =
    access ?? (refresh && state.refreshStatus(refresh) === 'active' ? refresh : undefined);
  if (!record || record.authorization.clientId !== client.app.clientId)
    return sendJson(res, 200, { active: false });
  const { authorization } = record;
  const user = state.requireUser(authorization.userId);
  sendJson(res, 200, {
    active: true,
    token_type: 'Bearer',
    scope: (access ? access.scopes : authorization.scopes).join(' '),
    client_id: authorization.clientId,
    username: user.login,
    sub: user.login,
    uid: user.id,
    iss: core.issuer,
    aud: core.issuer,
    iat: Math.floor((access ? access.issuedAt : authorization.authTime) / 1000),
    exp: Math.floor((access ? access.expiresAt : authorization.refreshExpiresAt) / 1000),
  });
}
