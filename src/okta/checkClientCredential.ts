import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { ClientCredential } from '../clientCredential.ts';
import { BotError } from '../errors.ts';
import type { AppRef } from './authorizationCode.ts';
import { mapOktaError } from './mapOktaError.ts';
import type { OktaOrgs } from './oktaOrgs.ts';

/**
 * Whether Okta accepts `credential` for the app, without changing anything: a code
 * exchange with a code that cannot exist. Okta authenticates the client before it looks
 * at the code (RFC 6749 §3.2.1), so `invalid_client` means the credential is wrong and
 * `invalid_grant` means it is right. Anything else (Okta down, a 429) is thrown as a
 * `BotError`: "could not check", never "wrong".
 */
export async function checkClientCredential(
  orgs: OktaOrgs,
  input: AppRef & { credential: ClientCredential; redirectUri: string },
): Promise<'accepted' | 'refused'> {
  try {
    const config = await orgs.configuration(input.domain, input.clientId, input.credential);
    await client.genericGrantRequest(config, 'authorization_code', {
      code: `okta-connect-check-${randomBytes(16).toString('base64url')}`,
      redirect_uri: input.redirectUri,
    });
  } catch (error) {
    const mapped = mapOktaError(error);
    if (mapped.code === 'invalid_grant') return 'accepted';
    if (mapped.code === 'invalid_client') return 'refused';
    throw mapped;
  }
  // Okta exchanged a code nobody issued: nothing to trust in that answer.
  throw new BotError('okta_bad_response', 'Okta accepted a code that cannot exist');
}
