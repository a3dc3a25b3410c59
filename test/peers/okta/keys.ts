/**
 * RS256 signing keys and the JWKS the peer publishes at /oauth2/v1/keys.
 *
 * Tokens are signed with node:crypto's callback `sign`, not jose's SignJWT: both run
 * RSA on libuv's thread pool, but jose spends about four times as much main-thread time
 * per signature (≈0.22 ms against ≈0.05 ms here), and the main thread is what limits
 * a health-sweep benchmark of thousands of refreshes per second on a 2-core machine.
 * The tests verify these tokens with jose and openid-client, independent implementations.
 */
import { generateKeyPair, type JsonWebKey, type KeyObject, sign } from 'node:crypto';
import { promisify } from 'node:util';
import { oktaId } from './http.ts';

export interface SigningKeys {
  readonly jwks: { keys: JsonWebKey[] };
  /** Signs with the peer's published key. */
  sign(claims: object): Promise<string>;
  /** Signs with a key the JWKS does not hold, under the same `kid`: a forged token. */
  signWithForeignKey(claims: object): Promise<string>;
}

const generateRsaKeyPair = promisify(generateKeyPair);
let signingKey: Promise<{ privateKey: KeyObject; publicKey: KeyObject }> | undefined;
let foreignKey: Promise<KeyObject> | undefined;

/**
 * RSA key generation takes up to a few hundred milliseconds, and suites start many
 * peers, so key pairs are made once per process (the foreign one only when a test asks
 * for a forged token). Each peer still gets its own `kid`, so a token from one peer does
 * not verify against another peer's JWKS.
 */
function sharedSigningKey() {
  signingKey ??= generateRsaKeyPair('rsa', { modulusLength: 2048 });
  return signingKey;
}

function sharedForeignKey(): Promise<KeyObject> {
  foreignKey ??= generateRsaKeyPair('rsa', { modulusLength: 2048 }).then((pair) => pair.privateKey);
  return foreignKey;
}

function signJwt(encodedHeader: string, claims: object, key: KeyObject): Promise<string> {
  const input = `${encodedHeader}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return new Promise((resolve, reject) => {
    // RS256 is RSASSA-PKCS1-v1_5 with SHA-256, node:crypto's default padding for RSA keys.
    sign('sha256', Buffer.from(input), key, (error, signature) => {
      if (error) reject(error);
      else resolve(`${input}.${signature.toString('base64url')}`);
    });
  });
}

export async function createSigningKeys(): Promise<SigningKeys> {
  const { privateKey, publicKey } = await sharedSigningKey();
  const kid = oktaId('', 43);
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid })).toString('base64url');
  return {
    jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] },
    sign: (claims) => signJwt(header, claims, privateKey),
    signWithForeignKey: async (claims) => signJwt(header, claims, await sharedForeignKey()),
  };
}
