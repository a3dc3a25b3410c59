/**
 * Okta's checks on an /authorize request, as a pure function. Requests that cannot be
 * trusted (unknown client, unregistered redirect URI) get an error page; every other
 * problem goes back to the client as an error redirect carrying `state`.
 */
import type { App, AuthorizeRequest } from './model.ts';
import { parseRequestedScopes } from './scopes.ts';

type AuthorizeCheck =
  | { kind: 'page'; error: string; description: string }
  | { kind: 'redirect'; location: string }
  | { kind: 'ok'; app: App; request: AuthorizeRequest };

/** RFC 7636 §4.2: a S256 challenge is 43 base64url characters; the grammar allows up to 128. */
const CODE_CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;

export function callbackLocation(
  redirectUri: string,
  params: Record<string, string | null>,
): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== null) url.searchParams.set(name, value);
  }
  return url.href;
}

export function errorLocation(
  redirectUri: string,
  state: string | null,
  error: string,
  description: string,
): string {
  return callbackLocation(redirectUri, { error, error_description: description, state });
}

export function checkAuthorizeRequest(
  apps: ReadonlyMap<string, App>,
  knownScopes: ReadonlySet<string>,
  query: URLSearchParams,
): AuthorizeCheck {
  const app = apps.get(query.get('client_id') ?? '');
  if (!app) {
    return {
      kind: 'page',
      error: 'invalid_client',
      description: "Invalid value for 'client_id' parameter.",
    };
  }
  const redirectUri = query.get('redirect_uri');
  if (redirectUri === null || !app.redirectUris.includes(redirectUri)) {
    return {
      kind: 'page',
      error: 'invalid_request',
      description:
        "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.",
    };
  }
  const state = query.get('state');
  const fail = (error: string, description: string): AuthorizeCheck => ({
    kind: 'redirect',
    location: errorLocation(redirectUri, state, error, description),
  });
  if (!state) {
    return fail('invalid_request', "The authentication request has an invalid 'state' parameter.");
  }
  if (query.get('response_type') !== 'code') {
    return fail(
      'unsupported_response_type',
      'The response type is not supported by the authorization server. Configured response types: [code].',
    );
  }
  const scopes = parseRequestedScopes(query.get('scope'), knownScopes);
  if (!scopes.ok) return fail(scopes.error, scopes.description);
  const codeChallenge = query.get('code_challenge');
  if (codeChallenge === null && app.pkceRequired) {
    return fail('invalid_request', 'PKCE code challenge is required by the application.');
  }
  if (codeChallenge !== null && query.get('code_challenge_method') !== 'S256') {
    return fail(
      'invalid_request',
      'PKCE code challenge method is not supported. Valid values: [S256]',
    );
  }
  if (codeChallenge !== null && !CODE_CHALLENGE.test(codeChallenge)) {
    return fail('invalid_request', 'PKCE code challenge contains illegal characters.');
  }
  return {
    kind: 'ok',
    app,
    request: {
      clientId: app.clientId,
      redirectUri,
      scopes: scopes.scopes,
      state,
      nonce: query.get('nonce') ?? undefined,
      codeChallenge: codeChallenge ?? undefined,
    },
  };
}
