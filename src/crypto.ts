import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { BotError } from './errors.ts';

/**
 * Sealing secrets at rest: AES-256-GCM, a fresh 12-byte IV per value, and the id of the
 * key that sealed it, so that during a rotation the previous key still opens old rows
 * while every new write uses the current one.
 *
 * Sealed form: `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts).
 */

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[0-9a-f]{16}$/;

export interface KeyRing {
  readonly currentKeyId: string;
  /** Current first, then the previous keys, in the order given. */
  readonly keyIds: readonly string[];
}

/**
 * The keys themselves stay in this module: a ring passed to a logger, JSON.stringify or
 * an error shows key ids only.
 */
const keysByRing = new WeakMap<KeyRing, ReadonlyMap<string, Buffer>>();

export function createKeyRing(current: Buffer, previous: readonly Buffer[] = []): KeyRing {
  const keys = new Map<string, Buffer>();
  const currentKeyId = addKey(keys, current, 'current key');
  for (const [i, key] of previous.entries()) addKey(keys, key, `previous key #${i + 1}`);
  const ring: KeyRing = Object.freeze({ currentKeyId, keyIds: Object.freeze([...keys.keys()]) });
  keysByRing.set(ring, keys);
  return ring;
}

function keyOf(ring: KeyRing, keyId: string): Buffer | undefined {
  const keys = keysByRing.get(ring);
  if (!keys) throw new TypeError('Not a key ring: build it with createKeyRing()');
  return keys.get(keyId);
}

function addKey(keys: Map<string, Buffer>, key: Buffer, label: string): string {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    const got = Buffer.isBuffer(key) ? `${key.length} bytes` : typeof key;
    throw new BotError('key_invalid', `The ${label} must be exactly 32 bytes (got ${got})`);
  }
  const id = keyIdOf(key);
  if (!keys.has(id)) keys.set(id, Buffer.from(key));
  return id;
}

/**
 * The key id is the first 8 bytes of a domain-separated SHA-256 of the key: stable, short,
 * and it reveals nothing usable about a 256-bit random key.
 */
function keyIdOf(key: Buffer): string {
  return createHash('sha256')
    .update('okta-connect key id\0')
    .update(key)
    .digest()
    .subarray(0, 8)
    .toString('hex');
}

/**
 * The associated data binds a sealed value to where it lives (`table.column:rowId`): a
 * value copied into another row or column, e.g. an attacker with write access to the
 * database swapping their connection's token into ours, fails authentication instead of
 * quietly opening. The version and key id are bound too.
 */
function associatedData(keyId: string, context: string): Buffer {
  return Buffer.from(`${VERSION}.${keyId}.${context}`, 'utf8');
}

export function seal(ring: KeyRing, plaintext: string, context: string): string {
  const keyId = ring.currentKeyId;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyOf(ring, keyId)!, iv);
  cipher.setAAD(associatedData(keyId, context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, keyId, b64(iv), b64(ciphertext), b64(tag)].join('.');
}

export function open(ring: KeyRing, sealed: string, context: string): string {
  const parts = parse(sealed, context);
  const key = keyOf(ring, parts.keyId);
  if (!key) {
    throw new BotError(
      'key_unknown',
      `The value at ${context} was sealed with key ${parts.keyId}, which is not in the key ring; ` +
        'add that key to ENCRYPTION_KEY_PREVIOUS',
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, parts.iv);
    decipher.setAAD(associatedData(parts.keyId, context));
    decipher.setAuthTag(parts.tag);
    return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
  } catch (cause) {
    throw invalid(context, cause);
  }
}

/** True when the value was sealed with a key other than the current one (`npm run rotate-key`). */
export function needsReseal(ring: KeyRing, sealed: string): boolean {
  return parse(sealed, 'value').keyId !== ring.currentKeyId;
}

interface SealedParts {
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

function parse(sealed: string, context: string): SealedParts {
  const [version, keyId = '', iv, ciphertext, tag, ...rest] = sealed.split('.');
  const parts = {
    keyId,
    iv: unb64(iv, IV_BYTES),
    ciphertext: unb64(ciphertext),
    tag: unb64(tag, TAG_BYTES),
  };
  const wellFormed = version === VERSION && KEY_ID.test(keyId) && rest.length === 0;
  if (!wellFormed || !parts.iv || !parts.ciphertext || !parts.tag) throw invalid(context);
  return { keyId, iv: parts.iv, ciphertext: parts.ciphertext, tag: parts.tag };
}

function invalid(context: string, cause?: unknown): BotError {
  return new BotError(
    'seal_invalid',
    `The sealed value at ${context} is malformed, was altered, or belongs to another place`,
    cause === undefined ? undefined : { cause },
  );
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/**
 * Strict base64url: Node's decoder skips stray characters and ignores the spare bits of
 * the last one, so only a value that re-encodes to the same text is accepted.
 */
function unb64(text: string | undefined, length?: number): Buffer | undefined {
  if (text === undefined) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) return undefined;
  return length === undefined || bytes.length === length ? bytes : undefined;
}

/**
 * Link tokens, OAuth states and browser-binding cookies are stored only as this hash, so a
 * copy of the database (a backup, a leaked file) holds no link that still works. A plain
 * SHA-256 is enough, with no key and no stretching: the inputs are 256-bit random values
 * that cannot be guessed from their hash, and an unkeyed hash keeps lookups working
 * across an encryption-key rotation.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

export function randomToken(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 1) {
    throw new RangeError('randomToken needs a positive whole number of bytes');
  }
  return randomBytes(bytes).toString('base64url');
}

/** Compares two strings in time that does not depend on where they first differ. */
export function safeEqual(a: string, b: string): boolean {
  // Hashing first gives equal-length inputs, as timingSafeEqual requires, without
  // leaking the length of the expected value.
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}
