/**
 * `private_key_jwt` (RFC 7523 §2.2, Okta's "Build a JWT for client authentication"): the
 * client signs a short-lived JWT with a key whose public half was added to the app. Okta
 * checks the signature against the app's keys, `iss` = `sub` = client ID, `aud` = the
 * endpoint invoked, an `exp` in the future and at most an hour after `iat`, and a `jti`
 * it has not seen before.
 */
import { createPublicKey, type JsonWebKey, verify } from 'node:crypto';
import type { App } from './model.ts';

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Okta refuses assertions that live longer than an hour. */
const MAX_LIFETIME_SECONDS = 60 * 60;

const HASHES: Readonly<Record<string, { hash: string; ec: boolean }>> = {
  RS256: { hash: 'sha256', ec: false },
  RS384: { hash: 'sha384', ec: false },
  RS512: { hash: 'sha512', ec: false },
  ES256: { hash: 'sha256', ec: true },
  ES384: { hash: 'sha384', ec: true },
  ES512: { hash: 'sha512', ec: true },
};

export type AssertionCheck = { ok: true } | { ok: false; description: string };

const refuse = (description: string): AssertionCheck => ({ ok: false, description });

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  if (!part) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function signatureHolds(
  jwk: JsonWebKey,
  alg: { hash: string; ec: boolean },
  signed: string,
  signature: string,
): boolean {
  try {
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    return verify(
      alg.hash,
      Buffer.from(signed),
      alg.ec ? { key, dsaEncoding: 'ieee-p1363' } : key,
      Buffer.from(signature, 'base64url'),
    );
  } catch {
    return false;
  }
}

/**
 * Checks one assertion for `app` at `endpoint` (the full URL invoked). `seen` holds the
 * `jti`s already accepted, with their expiry: a replay is refused even when the JWT itself
 * is still valid.
 */
export function checkClientAssertion(
  app: App,
  assertion: string,
  endpoint: string,
  nowMs: number,
  seen: Map<string, number>,
): AssertionCheck {
  const [headerPart, payloadPart, signature, ...rest] = assertion.split('.');
  const header = decodePart(headerPart);
  const claims = decodePart(payloadPart);
  if (!header || !claims || !signature || rest.length > 0) {
    return refuse('The client_assertion is not a valid JWT.');
  }
  const alg = typeof header.alg === 'string' ? HASHES[header.alg] : undefined;
  if (!alg) return refuse('The client_assertion signature algorithm is not supported.');
  const candidates = app.jwks.filter((key) => header.kid === undefined || key.kid === header.kid);
  const signed = `${headerPart}.${payloadPart}`;
  if (!candidates.some((jwk) => signatureHolds(jwk, alg, signed, signature))) {
    return refuse('The client_assertion signature is invalid.');
  }
  if (claims.iss !== app.clientId || claims.sub !== app.clientId) {
    return refuse("The 'iss' and 'sub' claims of the client_assertion must be the client_id.");
  }
  if (claims.aud !== endpoint) {
    return refuse(
      'The audience claim for client_assertion must be the endpoint invoked for the request.',
    );
  }
  const now = Math.floor(nowMs / 1000);
  const { exp, iat, jti } = claims;
  if (typeof exp !== 'number') return refuse("The client_assertion must contain an 'exp' claim.");
  if (exp <= now) return refuse('The client_assertion token is expired.');
  const issuedAt = typeof iat === 'number' ? iat : now;
  if (exp - issuedAt > MAX_LIFETIME_SECONDS || exp - now > MAX_LIFETIME_SECONDS) {
    return refuse('The client_assertion token has an expiration too far into the future.');
  }
  if (typeof jti !== 'string' || jti === '') {
    return refuse("The client_assertion must contain a 'jti' claim.");
  }
  for (const [used, until] of seen) if (until <= now) seen.delete(used);
  const key = `${app.clientId}:${jti}`;
  if (seen.has(key)) return refuse('The client_assertion token has already been used.');
  seen.set(key, exp);
  return { ok: true };
}
