import { createHash, createPrivateKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';

/**
 * How the bot proves to Okta that it is the OAuth app (Okta's Client Credentials →
 * Client authentication): a client secret, or a key pair whose public half the admin
 * added to the app ("Public key / Private key", which Okta recommends: no shared secret
 * is typed or sent, and a stolen assertion is good once for a minute). Every token
 * request — code exchange, refresh, revoke, credential checks — takes one
 * `ClientCredential`. Read by every layer; it imports nothing of the bot.
 */
export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'private_key_jwt'] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

export type ClientCredential =
  | { method: 'client_secret_basic'; clientSecret: string }
  /** `privateKey`: PKCS#8 PEM, opened from its sealed column for this one use. */
  | { method: 'private_key_jwt'; privateKey: string; keyId: string };

/** The public half as Okta's "Add key" takes it: a JWK with `kid`, `alg` and `use`. */
export interface PublicKeyJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

export interface GeneratedClientKey {
  keyId: string;
  /** PKCS#8 PEM: goes straight into a sealed column, nowhere else. */
  privateKey: string;
  publicJwk: PublicKeyJwk;
}

/**
 * A new ES256 key pair. ES256 rather than RS256: Okta accepts both, and a P-256 key is
 * generated in a millisecond and gives a JWK short enough to paste and read (RSA is
 * ten times longer). The `kid` is the key's RFC 7638 thumbprint: unique, and the same
 * wherever it is computed.
 */
export function generateClientKey(): GeneratedClientKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicJwk = toPublicJwk(publicKey.export({ format: 'jwk' }));
  return {
    keyId: publicJwk.kid,
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicJwk,
  };
}

function toPublicJwk(jwk: JsonWebKey): PublicKeyJwk {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y) {
    throw new TypeError('expected a P-256 public key');
  }
  const thumbprint = createHash('sha256')
    .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }))
    .digest('base64url');
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid: thumbprint, alg: 'ES256', use: 'sig' };
}

/** The public JWK of a stored private key (PKCS#8 PEM). */
export function publicJwkOf(privateKeyPem: string): PublicKeyJwk {
  return toPublicJwk(createPrivateKey(privateKeyPem).export({ format: 'jwk' }));
}

/** The JWK as the admin copies it into Okta: one line of JSON, fields in a stable order. */
export function formatPublicJwk(jwk: PublicKeyJwk): string {
  const { kty, crv, x, y, kid, alg, use } = jwk;
  return JSON.stringify({ kty, crv, x, y, kid, alg, use });
}

/**
 * Credentials are built only here: the secret or private key is a non-enumerable
 * property, so JSON, spreading and loggers see the method and nothing else.
 */
function hidden<T extends ClientCredential>(shown: object, secret: object): T {
  const credential = { ...shown };
  for (const [name, value] of Object.entries(secret)) {
    Object.defineProperty(credential, name, { value, enumerable: false });
  }
  Object.defineProperty(credential, 'toJSON', { value: () => shown, enumerable: false });
  Object.defineProperty(credential, Symbol.for('nodejs.util.inspect.custom'), {
    value: () => shown,
    enumerable: false,
  });
  return Object.freeze(credential) as T;
}

export function secretCredential(clientSecret: string): ClientCredential {
  return hidden({ method: 'client_secret_basic' }, { clientSecret });
}

export function keyCredential(privateKey: string, keyId: string): ClientCredential {
  return hidden({ method: 'private_key_jwt', keyId }, { privateKey });
}
