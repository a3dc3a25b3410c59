import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createKeyRing,
  hashToken,
  needsReseal,
  open,
  randomToken,
  safeEqual,
  seal,
} from '../src/crypto.ts';
import { BotError } from '../src/errors.ts';

const keyA = Buffer.alloc(32, 1);
const keyB = Buffer.alloc(32, 2);
const ring = createKeyRing(keyA);
const CONTEXT = 'connections.access_token:con_1';

function errorOf(fn: () => unknown): BotError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BotError) return error;
    throw error;
  }
  throw new Error('expected a BotError');
}

/** Changes the first character of part `index` to another one of the same alphabet. */
function tamperPart(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const part = parts[index] ?? '';
  const [a, b] = index === 1 ? ['0', '1'] : ['A', 'B']; // the key id is hex
  parts[index] = part.length === 0 ? 'AAAA' : (part[0] === a ? b : a) + part.slice(1);
  return parts.join('.');
}

describe('createKeyRing', () => {
  it('refuses keys that are not exactly 32 bytes, naming which one', () => {
    expect(errorOf(() => createKeyRing(Buffer.alloc(16))).message).toContain('current key');
    expect(errorOf(() => createKeyRing(keyA, [Buffer.alloc(33)])).message).toContain(
      'previous key #1',
    );
    expect(errorOf(() => createKeyRing(Buffer.alloc(31))).code).toBe('key_invalid');
  });

  it('shows key ids, never key bytes, when printed or serialized', () => {
    const both = createKeyRing(keyA, [keyB]);
    const printed = `${JSON.stringify(both)} ${inspect(both, { showHidden: true, depth: 5 })}`;
    expect(both.keyIds).toHaveLength(2);
    expect(printed).toContain(both.currentKeyId);
    for (const key of [keyA, keyB]) {
      expect(printed).not.toContain(key.toString('hex'));
      expect(printed).not.toContain(key.toString('base64'));
    }
  });
});

describe('seal and open', () => {
  it('round-trips a value and names the format version and key id first', () => {
    const sealed = seal(ring, 'refresh-token-value', CONTEXT);
    expect(sealed.startsWith(`v1.${ring.currentKeyId}.`)).toBe(true);
    expect(open(ring, sealed, CONTEXT)).toBe('refresh-token-value');
  });

  it('round-trips the empty string', () => {
    expect(open(ring, seal(ring, '', CONTEXT), CONTEXT)).toBe('');
  });

  it('uses a different IV, hence a different sealed value, every time', () => {
    const sealed = new Set(Array.from({ length: 20 }, () => seal(ring, 'same', CONTEXT)));
    const ivs = new Set([...sealed].map((s) => s.split('.')[2]));
    expect(sealed.size).toBe(20);
    expect(ivs.size).toBe(20);
  });

  it.each([
    ['version', 0, 'seal_invalid'],
    ['key id', 1, 'key_unknown'],
    ['IV', 2, 'seal_invalid'],
    ['ciphertext', 3, 'seal_invalid'],
    ['tag', 4, 'seal_invalid'],
  ])('refuses a value whose %s was altered', (_part, index, code) => {
    const sealed = seal(ring, 'a secret worth protecting', CONTEXT);
    expect(errorOf(() => open(ring, tamperPart(sealed, index), CONTEXT)).code).toBe(code);
  });

  it('refuses truncated, extended and non-canonical values', () => {
    const sealed = seal(ring, 'value', CONTEXT);
    for (const bad of [sealed.slice(0, -1), `${sealed}.x`, `${sealed}=`, 'v1', '']) {
      expect(errorOf(() => open(ring, bad, CONTEXT)).code).toBe('seal_invalid');
    }
  });

  it('refuses a value opened for another row or column (associated data)', () => {
    const sealed = seal(ring, 'token-of-con-1', 'connections.access_token:con_1');
    expect(errorOf(() => open(ring, sealed, 'connections.access_token:con_2')).code).toBe(
      'seal_invalid',
    );
    expect(errorOf(() => open(ring, sealed, 'connections.refresh_token:con_1')).code).toBe(
      'seal_invalid',
    );
  });

  it('opens values sealed with a previous key, and seals new ones with the current key', () => {
    const old = seal(createKeyRing(keyA), 'old secret', CONTEXT);
    const rotated = createKeyRing(keyB, [keyA]);
    expect(open(rotated, old, CONTEXT)).toBe('old secret');
    expect(needsReseal(rotated, old)).toBe(true);
    expect(needsReseal(rotated, seal(rotated, 'new secret', CONTEXT))).toBe(false);
  });

  it('names the missing key id, and neither the key nor the plaintext, for an unknown key', () => {
    const sealed = seal(createKeyRing(keyB), 'plaintext-that-must-not-leak', CONTEXT);
    const error = errorOf(() => open(ring, sealed, CONTEXT));
    expect(error.code).toBe('key_unknown');
    expect(error.message).toContain(createKeyRing(keyB).currentKeyId);
    expect(`${error.message} ${inspect(error)}`).not.toContain('plaintext-that-must-not-leak');
    expect(error.message).not.toContain(keyB.toString('hex'));
  });

  it('round-trips any Unicode string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        expect(open(ring, seal(ring, text, CONTEXT), CONTEXT)).toBe(text);
      }),
    );
  });

  it('never shows a plaintext of 8 characters or more in the sealed value', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 8, maxLength: 100 }), (text) => {
        const sealed = seal(ring, text, CONTEXT);
        expect(sealed).not.toContain(text);
        expect(sealed).not.toContain(Buffer.from(text).toString('base64url'));
      }),
    );
  });
});

describe('tokens and hashes', () => {
  it('makes url-safe random tokens of the requested strength', () => {
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken(16)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(randomToken()).not.toBe(randomToken());
    expect(() => randomToken(0)).toThrow(RangeError);
  });

  it('hashes a token to a stable value that does not contain it', () => {
    const token = randomToken();
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).not.toContain(token);
    expect(hashToken(token)).not.toBe(hashToken(randomToken()));
  });

  it('compares strings of any lengths', () => {
    const value = randomBytes(16).toString('hex');
    expect(safeEqual(value, value)).toBe(true);
    expect(safeEqual(value, `${value}x`)).toBe(false);
    expect(safeEqual('', value)).toBe(false);
  });
});
