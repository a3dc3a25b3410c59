import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { matchApiKey, parseApiKeyHashes } from '../../../src/web/api/apiKeys.ts';

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');

describe('parseApiKeyHashes', () => {
  it('reads all-teams and team keys, with the first 8 hex digits as the id', () => {
    const parsed = parseApiKeyHashes(` ${hashOf('a')} , T024BE7LH:${hashOf('b').toUpperCase()},`);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.keys.map((key) => [key.id, key.teamId])).toEqual([
      [hashOf('a').slice(0, 8), null],
      [hashOf('b').slice(0, 8), 'T024BE7LH'],
    ]);
  });

  it('means no key, so the API is off, when unset or blank', () => {
    expect(parseApiKeyHashes(undefined)).toEqual({ ok: true, keys: [] });
    expect(parseApiKeyHashes(' , ')).toEqual({ ok: true, keys: [] });
  });

  it('names the bad entry by position without echoing it', () => {
    for (const text of ['not-a-hash', `t024:${hashOf('a')}`, `${hashOf('a')}00`, 'plain-key']) {
      const parsed = parseApiKeyHashes(`${hashOf('x')},${text}`);
      expect(parsed).toMatchObject({ ok: false, message: expect.stringContaining('entry 2') });
      if (!parsed.ok) expect(parsed.message).not.toContain(text);
    }
  });

  it('refuses the same key twice, since its id would name two keys', () => {
    const parsed = parseApiKeyHashes(`${hashOf('a')},T024BE7LH:${hashOf('a')}`);
    expect(parsed).toMatchObject({ ok: false, message: expect.stringContaining('entry 2') });
  });
});

describe('matchApiKey', () => {
  it('finds the key whose hash the presented value has, and nothing for others', () => {
    const parsed = parseApiKeyHashes(`${hashOf('first')},T024BE7LH:${hashOf('second')}`);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(matchApiKey(parsed.keys, 'second')?.teamId).toBe('T024BE7LH');
    expect(matchApiKey(parsed.keys, 'first')?.teamId).toBeNull();
    expect(matchApiKey(parsed.keys, hashOf('first'))).toBeNull();
    expect(matchApiKey(parsed.keys, '')).toBeNull();
  });
});
