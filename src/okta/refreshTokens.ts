import * as client from 'openid-client';
import type { ClientCredential } from '../clientCredential.ts';
import { BotError } from '../errors.ts';
import type { AppRef } from './authorizationCode.ts';
import { mapOktaError } from './mapOktaError.ts';
import type { OktaOrgs } from './oktaOrgs.ts';

export interface RefreshedTokens {
  accessToken: string;
  /** null when Okta kept the refresh token (rotation off): the stored one stays valid. */
  refreshToken: string | null;
  accessExpiresAt: number | null;
  grantedScopes: string[] | null;
}

/**
 * `grant_type=refresh_token` at `/oauth2/v1/token`. Errors come back as `BotError`s:
 * `invalid_grant` (revoked, expired, or reused outside the grace period) and
 * `invalid_client` mean an admin must reauthorize; network, 5xx and 429 are retryable.
 */
export async function refreshTokens(
  orgs: OktaOrgs,
  input: AppRef & { credential: ClientCredential; refreshToken: string; now: () => number },
): Promise<RefreshedTokens> {
  try {
    const config = await orgs.configuration(input.domain, input.clientId, input.credential);
    const tokens = await client.refreshTokenGrant(config, input.refreshToken);
    if (typeof tokens.access_token !== 'string' || tokens.access_token === '') {
      throw new BotError('okta_bad_response', 'refresh answer without an access token');
    }
    const expiresIn = typeof tokens.expires_in === 'number' ? tokens.expires_in : null;
    return {
      accessToken: tokens.access_token,
      refreshToken:
        typeof tokens.refresh_token === 'string' && tokens.refresh_token !== input.refreshToken
          ? tokens.refresh_token
          : null,
      accessExpiresAt: expiresIn ? input.now() + expiresIn * 1000 : null,
      grantedScopes:
        typeof tokens.scope === 'string' ? tokens.scope.split(' ').filter(Boolean) : null,
    };
  } catch (error) {
    throw mapOktaError(error);
  }
}
