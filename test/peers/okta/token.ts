/** POST /oauth2/v1/token: client authentication, grant-type checks, the authorization_code grant. */
import { createHash } from 'node:crypto';
import { authenticateClient } from './clientAuth.ts';
import type { PeerCore } from './core.ts';
import { type Exchange, readForm, sendOAuthError, sendTokenJson } from './http.ts';
import { startTokenFamily } from './issue.ts';
import type { App } from './model.ts';
import { handleRefreshGrant } from './refresh.ts';

/** What discovery advertises, and what Okta lists when a grant type is unknown. */
export const SERVER_GRANT_TYPES = [
  'authorization_code',
  'implicit',
  'refresh_token',
  'password',
  'urn:ietf:params:oauth:grant-type:device_code',
];

/** Grant types Okta knows: an app lacking one is `unauthorized_client`, others are unsupported. */
const KNOWN_GRANT_TYPES = new Set([
  ...SERVER_GRANT_TYPES,
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:saml2-bearer',
  'urn:ietf:params:oauth:grant-type:token-exchange',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'interaction_code',
]);

const INVALID_CODE = 'The authorization code is invalid or has expired.';
const PKCE_FAILED = 'PKCE verification failed.';

export async function handleToken(core: PeerCore, { req, res }: Exchange): Promise<void> {
  const form = await readForm(req);
  const client = authenticateClient(core, req.headers.authorization, form, '/oauth2/v1/token');
  if (!client.ok) return sendOAuthError(res, client.status, client.error, client.description);
  const { app } = client;
  const grantType = form.get('grant_type');
  if (grantType === null) {
    return sendOAuthError(
      res,
      400,
      'invalid_request',
      `The token request must specify a 'grant_type'. Valid values: [${SERVER_GRANT_TYPES.join(', ')}]`,
    );
  }
  if (!KNOWN_GRANT_TYPES.has(grantType)) {
    return sendOAuthError(
      res,
      400,
      'unsupported_grant_type',
      `The authorization grant type is not supported by the authorization server. Configured grant types: [${SERVER_GRANT_TYPES.join(', ')}].`,
    );
  }
  if (!(app.grantTypes as readonly string[]).includes(grantType)) {
    return sendOAuthError(
      res,
      400,
      'unauthorized_client',
      `The client is not authorized to use the provided grant type. Configured grant types: [${app.grantTypes.join(', ')}].`,
    );
  }
  if (grantType === 'refresh_token') return handleRefreshGrant(core, app, form, res);
  return handleCodeGrant(core, app, form, res);
}

async function handleCodeGrant(
  core: PeerCore,
  app: App,
  form: URLSearchParams,
  res: Exchange['res'],
): Promise<void> {
  const code = form.get('code') ?? '';
  const grant = core.state.codes.get(code);
  // Single use: any exchange attempt burns the code, successful or not.
  core.state.codes.delete(code);
  if (!grant || core.clock.now() >= grant.expiresAt) {
    return sendOAuthError(res, 400, 'invalid_grant', INVALID_CODE);
  }
  const { request } = grant;
  if (request.clientId !== app.clientId) {
    return sendOAuthError(
      res,
      400,
      'invalid_grant',
      "The grant was issued to another client. Please make sure the 'client_id' matches the one used at the authorize request.",
    );
  }
  if (form.get('redirect_uri') !== request.redirectUri) {
    return sendOAuthError(
      res,
      400,
      'invalid_grant',
      "The 'redirect_uri' does not match the redirection URI used in the authorization request.",
    );
  }
  const verifier = form.get('code_verifier');
  if (request.codeChallenge !== undefined) {
    if (verifier === null || s256(verifier) !== request.codeChallenge) {
      return sendOAuthError(res, 400, 'invalid_grant', PKCE_FAILED);
    }
  } else if (verifier !== null) {
    return sendOAuthError(
      res,
      400,
      'invalid_request',
      'PKCE code challenge should be specified in the authorize request for code verification.',
    );
  }
  sendTokenJson(res, await startTokenFamily(core, app, { ...grant, nonce: request.nonce }));
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
