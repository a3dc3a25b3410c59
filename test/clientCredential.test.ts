import { createPublicKey, sign, verify } from 'node:crypto';
import { inspect } from 'node:util';
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  formatPublicJwk,
  generateClientKey,
  keyCredential,
  publicJwkOf,
  secretCredential,
} from '../src/clientCredential.ts';

describe('client key pairs', () => {
  it('makes an ES256 key whose public JWK has no private part and whose kid is its RFC 7638 thumbprint', async () => {
    const key = generateClientKey();
    expect(key.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(key.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(key.publicJwk).not.toHaveProperty('d');
    expect(key.keyId).toBe(key.publicJwk.kid);
    expect(key.keyId).toBe(await calculateJwkThumbprint(key.publicJwk, 'sha256'));
    expect(publicJwkOf(key.privateKey)).toEqual(key.publicJwk);
    expect(generateClientKey().keyId).not.toBe(key.keyId);
  });

  it('signs with the private key what the public JWK verifies', () => {
    const key = generateClientKey();
    const signature = sign('sha256', Buffer.from('hello'), key.privateKey);
    const publicKey = createPublicKey({ key: { ...key.publicJwk }, format: 'jwk' });
    expect(verify('sha256', Buffer.from('hello'), publicKey, signature)).toBe(true);
  });

  it('formats the JWK as one line of JSON in a stable order', () => {
    const { publicJwk } = generateClientKey();
    const text = formatPublicJwk(publicJwk);
    expect(text).not.toContain('\n');
    expect(Object.keys(JSON.parse(text))).toEqual(['kty', 'crv', 'x', 'y', 'kid', 'alg', 'use']);
  });
});

describe('client credentials', () => {
  it('hide the private key and the secret from JSON, spreading and inspection, but read by name', () => {
    const key = generateClientKey();
    const credentials = [
      [keyCredential(key.privateKey, key.keyId), key.privateKey],
      [secretCredential('s3cret-value-123'), 's3cret-value-123'],
    ] as const;
    for (const [credential, secret] of credentials) {
      for (const shown of [
        JSON.stringify(credential),
        JSON.stringify({ ...credential }),
        inspect(credential),
      ]) {
        expect(shown).not.toContain(secret.slice(30, 60) || secret);
        expect(shown).toContain(credential.method);
      }
    }
    const [keyed] = credentials[0];
    expect(keyed.method === 'private_key_jwt' && keyed.privateKey).toBe(key.privateKey);
    expect(keyed.method === 'private_key_jwt' && keyed.keyId).toBe(key.keyId);
  });
});
