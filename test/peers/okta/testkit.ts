/** Shared set-up for the Okta peer's own tests: one org with one app and one admin. */
import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import {
  type AppInput,
  type OktaPeer,
  type OktaPeerOptions,
  startOktaPeer,
  type UserInput,
} from './index.ts';

export const CLIENT_ID = '0oa1botclient';
export const CLIENT_SECRET = 'bot-client-secret';
/** Never contacted: tests read the redirect's Location instead of following it. */
export const REDIRECT_URI = 'http://127.0.0.1:9/oauth/okta/callback';
export const LOGIN = 'ada@example.com';
export const PASSWORD = 'correct horse battery staple';
const DEFAULT_SCOPE = 'openid profile email offline_access okta.users.read okta.logs.read';

export interface Org {
  okta: OktaPeer;
  userId: string;
}

export async function startOrg(
  overrides: { app?: Partial<AppInput>; user?: Partial<UserInput>; peer?: OktaPeerOptions } = {},
): Promise<Org> {
  const okta = await startOktaPeer(overrides.peer);
  okta.addApp({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [REDIRECT_URI],
    grantedScopes: ['okta.users.read', 'okta.logs.read', 'okta.roles.read'],
    ...overrides.app,
  });
  const { id } = okta.addUser({
    login: LOGIN,
    password: PASSWORD,
    roles: ['SUPER_ADMIN'],
    assignedTo: [CLIENT_ID],
    ...overrides.user,
  });
  return { okta, userId: id };
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(okta: OktaPeer, params: Record<string, string | null> = {}): URL {
  const url = new URL('/oauth2/v1/authorize', okta.origin);
  const all: Record<string, string | null> = {
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: DEFAULT_SCOPE,
    state: 'state-123',
    nonce: 'nonce-456',
    ...params,
  };
  for (const [name, value] of Object.entries(all)) {
    if (value !== null) url.searchParams.set(name, value);
  }
  return url;
}

export async function getAuthorize(
  okta: OktaPeer,
  params: Record<string, string | null> = {},
): Promise<Response> {
  return fetch(authorizeUrl(okta, params), { redirect: 'manual' });
}

/** The callback URL's query, from a redirect answer. */
export function callbackParams(response: Response): URLSearchParams {
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
  return location.searchParams;
}

function basicAuth(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export function postForm(
  okta: OktaPeer,
  path: string,
  body: Record<string, string>,
  auth: { id: string; secret: string } | null = { id: CLIENT_ID, secret: CLIENT_SECRET },
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth) headers.authorization = basicAuth(auth.id, auth.secret);
  return fetch(new URL(path, okta.origin), {
    method: 'POST',
    headers,
    body: new URLSearchParams(body),
  });
}

export interface TokenBody {
  token_type: string;
  expires_in: number;
  access_token: string;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

/** Runs authorize (auto sign-in) and the code exchange; returns the token response body. */
export async function codeFlow(
  okta: OktaPeer,
  userId: string,
  params: Record<string, string | null> = {},
): Promise<TokenBody> {
  const { verifier, challenge } = pkce();
  okta.autoSignIn(userId);
  const callback = callbackParams(
    await getAuthorize(okta, {
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...params,
    }),
  );
  const code = callback.get('code');
  if (code === null) throw new Error(`authorize failed: ${callback.get('error_description')}`);
  const response = await postForm(okta, '/oauth2/v1/token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
  });
  expect(response.status).toBe(200);
  return (await response.json()) as TokenBody;
}

export async function refresh(
  okta: OktaPeer,
  refreshToken: string,
  extra: Record<string, string> = {},
): Promise<Response> {
  return postForm(okta, '/oauth2/v1/token', {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    ...extra,
  });
}

/** Response.json() is `unknown` in Node's types; tests name the shape they expect. */
export async function readJson<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

export function bearer(token: string): { headers: { authorization: string } } {
  return { headers: { authorization: `Bearer ${token}` } };
}
