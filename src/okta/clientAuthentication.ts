import { createPrivateKey } from 'node:crypto';
import * as client from 'openid-client';
import type { ClientCredential } from '../clientCredential.ts';

/** Which endpoint a request goes to: a client assertion names it as its audience. */
export type TokenEndpoint = 'token' | 'revocation';

/** Okta allows up to an hour; a minute is openid-client's default and all one request needs. */
const ASSERTION_LIFETIME_SECONDS = 60;

/**
 * openid-client's client authentication for one credential. For `private_key_jwt` the
 * assertion's `aud` is set to the endpoint invoked, which Okta requires:
 * openid-client's default (the issuer) is refused with invalid_client. Its times come
 * from the bot's clock, like every other time the bot decides.
 */
export async function clientAuthFor(
  credential: ClientCredential,
  metadata: client.ServerMetadata,
  endpoint: TokenEndpoint,
  now: () => number,
): Promise<client.ClientAuth> {
  if (credential.method === 'client_secret_basic') {
    return client.ClientSecretBasic(credential.clientSecret);
  }
  const audience =
    endpoint === 'revocation' ? metadata.revocation_endpoint : metadata.token_endpoint;
  const key = await crypto.subtle.importKey(
    'pkcs8',
    createPrivateKey(credential.privateKey).export({ format: 'der', type: 'pkcs8' }),
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  );
  return client.PrivateKeyJwt(
    { key, kid: credential.keyId },
    {
      [client.modifyAssertion]: (_header, payload) => {
        const issuedAt = Math.floor(now() / 1000);
        payload.iat = issuedAt;
        payload.nbf = issuedAt;
        payload.exp = issuedAt + ASSERTION_LIFETIME_SECONDS;
        if (audience) payload.aud = audience;
      },
    },
  );
}
