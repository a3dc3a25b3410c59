/**
 * Builds token responses the way the org authorization server does: a signed JWT access
 * token with `scp`, an ID token when `openid` was granted, and the refresh token chosen
 * by the grant handler.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { PeerCore, TokenTamper } from './core.ts';
import { randomToken } from './http.ts';
import type { App, Authorization } from './model.ts';

/** Org authorization server access and ID tokens live one hour, fixed. */
const ACCESS_TOKEN_TTL_SECONDS = 3600;

export interface TokenResponse {
  token_type: 'Bearer';
  expires_in: number;
  access_token?: string;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

interface MintOptions {
  /** Scopes of this access token: the family's, or a subset asked for at refresh. */
  scopes: readonly string[];
  refreshToken: string | null;
  nonce: string | undefined;
}

/**
 * Starts a token family, as a code exchange does. A refresh token comes only with
 * `offline_access` granted and the Refresh Token grant type enabled on the app.
 */
export function startTokenFamily(
  core: PeerCore,
  app: App,
  grant: { userId: string; scopes: readonly string[]; authTime: number; nonce: string | undefined },
): Promise<TokenResponse> {
  const authorization = core.state.createAuthorization(
    app.clientId,
    grant.userId,
    grant.scopes,
    grant.authTime,
  );
  const refreshToken =
    grant.scopes.includes('offline_access') && app.grantTypes.includes('refresh_token')
      ? core.state.addRefreshToken(authorization)
      : null;
  return mintTokens(core, authorization, {
    scopes: grant.scopes,
    refreshToken,
    nonce: grant.nonce,
  });
}

export async function mintTokens(
  core: PeerCore,
  authorization: Authorization,
  options: MintOptions,
): Promise<TokenResponse> {
  // Taken before any await so concurrent requests consume tampers in arrival order.
  const tamper = core.tampers.shift();
  const user = core.state.requireUser(authorization.userId);
  const now = core.clock.now();
  const iat = Math.floor(now / 1000);
  const exp = iat + ACCESS_TOKEN_TTL_SECONDS;
  const authTime = Math.floor(authorization.authTime / 1000);

  const accessToken = await core.keys.sign({
    ver: 1,
    jti: `AT.${randomUUID()}`,
    iss: core.issuer,
    aud: core.issuer,
    iat,
    exp,
    cid: authorization.clientId,
    uid: user.id,
    scp: [...options.scopes],
    auth_time: authTime,
    sub: user.login,
  });
  core.state.addAccessToken(accessToken, {
    authorization,
    scopes: options.scopes,
    issuedAt: now,
    expiresAt: exp * 1000,
    revoked: false,
  });

  const response: TokenResponse = {
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_TTL_SECONDS,
    access_token: accessToken,
    scope: options.scopes.join(' '),
  };
  if (options.refreshToken !== null) response.refresh_token = options.refreshToken;
  if (options.scopes.includes('openid')) {
    const claims: Record<string, unknown> = {
      sub: user.id,
      ver: 1,
      iss: core.issuer,
      aud: authorization.clientId,
      iat,
      exp,
      jti: `ID.${randomUUID()}`,
      amr: ['pwd'],
      auth_time: authTime,
      at_hash: atHash(accessToken),
      // Okta puts the login in the ID token with `profile`; the peer always does, because
      // the bot records who signed in whatever scopes were asked for.
      preferred_username: user.login,
    };
    if (options.scopes.includes('profile')) claims.name = `${user.firstName} ${user.lastName}`;
    if (options.scopes.includes('email')) claims.email = user.email;
    if (options.nonce !== undefined) claims.nonce = options.nonce;
    response.id_token = await signIdToken(core, claims, tamper);
  }
  if (tamper === 'no-access-token') delete response.access_token;
  return response;
}

function signIdToken(
  core: PeerCore,
  claims: Record<string, unknown>,
  tamper: TokenTamper | undefined,
) {
  switch (tamper) {
    case 'foreign-key':
      return core.keys.signWithForeignKey(claims);
    case 'wrong-iss':
      // The classic Okta mix-up: a custom authorization server's issuer instead of the org's.
      return core.keys.sign({ ...claims, iss: `${core.issuer}/oauth2/default` });
    case 'wrong-nonce':
      return core.keys.sign({ ...claims, nonce: `not-${randomToken(8)}` });
    default:
      return core.keys.sign(claims);
  }
}

/** OIDC Core §3.1.3.6: left half of the SHA-256 of the access token, base64url. */
function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
}
