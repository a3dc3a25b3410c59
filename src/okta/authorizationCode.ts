import * as client from 'openid-client';
import { z } from 'zod';
import type { ClientCredential } from '../clientCredential.ts';
import { BotError } from '../errors.ts';
import { mapOktaError } from './mapOktaError.ts';
import type { OktaOrgs } from './oktaOrgs.ts';

export interface AppRef {
  domain: string;
  clientId: string;
}

export interface AuthorizeRequest extends AppRef {
  redirectUri: string;
  scopes: readonly string[];
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The org authorization server's authorize URL with PKCE (S256), state and nonce. */
export async function buildAuthorizeUrl(orgs: OktaOrgs, request: AuthorizeRequest): Promise<URL> {
  try {
    const config = await orgs.configuration(request.domain, request.clientId);
    return client.buildAuthorizationUrl(config, {
      redirect_uri: request.redirectUri,
      response_type: 'code',
      scope: request.scopes.join(' '),
      state: request.state,
      nonce: request.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(request.codeVerifier),
      code_challenge_method: 'S256',
    });
  } catch (error) {
    throw mapOktaError(error);
  }
}

export interface GrantedTokens {
  accessToken: string;
  refreshToken: string | null;
  accessExpiresAt: number | null;
  /** What the token response's `scope` lists: only what Okta granted. */
  grantedScopes: string[];
  sub: string | null;
  login: string | null;
}

const tokenShape = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
  expires_in: z.number().positive().optional(),
});

/**
 * Exchanges the code at `/oauth2/v1/token`. openid-client checks the state, the PKCE
 * verifier, the ID token's signature, issuer, audience and nonce; any failure becomes a
 * `BotError` through the one mapper, and nothing is returned half-checked.
 */
export async function exchangeCode(
  orgs: OktaOrgs,
  input: AppRef & {
    credential: ClientCredential;
    callbackUrl: URL;
    codeVerifier: string;
    state: string;
    nonce: string;
    requestedScopes: readonly string[];
    now: number;
  },
): Promise<GrantedTokens> {
  try {
    const config = await orgs.configuration(input.domain, input.clientId, input.credential);
    // openid-client trusts a token-endpoint ID token over TLS without checking its
    // signature; the bot checks it against the org's JWKS anyway.
    client.enableNonRepudiationChecks(config);
    const tokens = await client.authorizationCodeGrant(config, input.callbackUrl, {
      pkceCodeVerifier: input.codeVerifier,
      expectedState: input.state,
      expectedNonce: input.nonce,
      idTokenExpected: input.requestedScopes.includes('openid'),
    });
    const shape = tokenShape.parse(tokens);
    const claims = tokens.claims();
    return {
      accessToken: shape.access_token,
      refreshToken: shape.refresh_token ?? null,
      accessExpiresAt: shape.expires_in ? input.now + shape.expires_in * 1000 : null,
      // RFC 6749 §5.1: an omitted scope means exactly what was requested.
      grantedScopes: shape.scope
        ? shape.scope.split(' ').filter(Boolean)
        : [...input.requestedScopes],
      sub: typeof claims?.sub === 'string' ? claims.sub : null,
      login: typeof claims?.preferred_username === 'string' ? claims.preferred_username : null,
    };
  } catch (error) {
    if (error instanceof z.ZodError) {
      throw new BotError('okta_bad_response', 'Okta’s token response lacks an access token', {
        cause: error,
      });
    }
    throw mapOktaError(error);
  }
}

/** Revokes one token at `/oauth2/v1/revoke`; Okta answers 200 even for unknown tokens. */
async function revokeToken(
  orgs: OktaOrgs,
  input: AppRef & {
    credential: ClientCredential;
    token: string;
    hint: 'access_token' | 'refresh_token';
  },
): Promise<void> {
  try {
    const config = await orgs.configuration(
      input.domain,
      input.clientId,
      input.credential,
      'revocation',
    );
    await client.tokenRevocation(config, input.token, { token_type_hint: input.hint });
  } catch (error) {
    throw mapOktaError(error);
  }
}

/**
 * Revokes a connection's tokens, the refresh token first (it is the one that keeps
 * access alive). Stops at the first refusal and says which: the caller decides whether
 * that is fatal (deleting) or only worth a log line (tokens nobody stored).
 */
export async function revokeTokens(
  orgs: OktaOrgs,
  input: AppRef & {
    credential: ClientCredential;
    refreshToken: string | null;
    accessToken: string | null;
  },
): Promise<{ revoked: number; error: BotError | null }> {
  let revoked = 0;
  for (const [token, hint] of [
    [input.refreshToken, 'refresh_token'],
    [input.accessToken, 'access_token'],
  ] as const) {
    if (!token) continue;
    try {
      await revokeToken(orgs, { ...input, token, hint });
      revoked += 1;
    } catch (error) {
      return { revoked, error: mapOktaError(error) };
    }
  }
  return { revoked, error: null };
}
