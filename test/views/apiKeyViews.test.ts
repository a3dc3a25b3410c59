import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord } from '../../src/db/apiKeysRepo.ts';
import type { ApiKeyListing } from '../../src/flows/manageApiKeys.ts';
import {
  apiKeyHomeBlocks,
  apiKeyLinkMessage,
  apiKeyListMessage,
  apiKeyModal,
} from '../../src/views/apiKeyViews.ts';
import { homeView } from '../../src/views/homeView.ts';
import { checkLimits, mrkdwnTexts } from './checkLimits.ts';
import { aConnection, HOSTILE, NOW } from './fixtures.ts';

function aKey(
  overrides: Partial<ApiKeyRecord> = {},
  nicknames: string[] | null = null,
): ApiKeyListing {
  return {
    record: {
      id: 'key_abcdefghijkl',
      teamId: 'T1',
      name: 'logs-reader',
      connectionIds: nicknames ? nicknames.map((_, i) => `conn_${i}`) : null,
      actions: ['read'],
      expiresAt: NOW + 86_400_000,
      createdBy: 'UADMIN1',
      createdAt: NOW - 1000,
      revealedAt: NOW - 500,
      linkExpiresAt: NOW + 1000,
      lastUsedAt: NOW - 100,
      lastUsedIp: '10.0.0.7',
      revokedAt: null,
      revokedBy: null,
      ...overrides,
    },
    nicknames,
  };
}

describe('API key views', () => {
  it('offers at most 100 connections in the modal, and says the token action can do whatever its scopes allow', () => {
    const connections = Array.from({ length: 150 }, (_, i) => ({
      id: `c${i}`,
      nickname: `org-${i}`,
    }));
    const view = apiKeyModal({ name: 'k', connections, metadata: '{"name":"k"}' });
    expect(checkLimits(view)).toEqual([]);
    expect(JSON.stringify(view)).toContain('whatever its scopes allow');
    expect(JSON.stringify(view)).not.toContain('org-100');
  });

  it('has no picker, only a note, when the workspace has no connection', () => {
    const view = apiKeyModal({ name: 'k', connections: [], metadata: '{}' });
    expect(checkLimits(view)).toEqual([]);
    expect(JSON.stringify(view)).not.toContain('multi_static_select');
  });

  it('lists many keys within a message’s limits, with connections, actions, expiry and last use', () => {
    const keys = Array.from({ length: 60 }, (_, i) => aKey({ name: `k${i}` }, ['acme-prod']));
    const list = apiKeyListMessage(keys, NOW);
    expect(checkLimits(list)).toEqual([]);
    const text = mrkdwnTexts(list).join('\n');
    expect(text).toContain('`acme-prod`');
    expect(text).toContain('10.0.0.7');
    expect(text).toContain('15 more not shown');
  });

  it('keeps the Home tab within 100 blocks with a full page of connections and many keys', () => {
    const view = homeView({
      connections: Array.from({ length: 20 }, (_, i) =>
        aConnection({ id: `c${i}`, nickname: `n${i}` }),
      ),
      page: 1,
      pageCount: 2,
      counts: { needs_reauth: 0, attention: 0, failed: 0, pending: 0, active: 40 },
      now: NOW,
      apiKeys: Array.from({ length: 40 }, (_, i) => aKey({ id: `key_${i}`, name: `k${i}` })),
    });
    expect(checkLimits(view)).toEqual([]);
  });

  it('escapes hostile nicknames and never shows a link token outside the button', () => {
    for (const hostile of HOSTILE) {
      const blocks = apiKeyHomeBlocks([aKey({}, [hostile])], NOW);
      for (const text of mrkdwnTexts({ blocks })) {
        // The creator is mentioned on purpose; nothing else may become a mention or link.
        expect(text.replace('<@UADMIN1>', '')).not.toMatch(/<[!@#]|<https?:/);
      }
    }
    const dm = apiKeyLinkMessage({
      name: 'k',
      url: 'https://bot.example/apikey/TOKEN123',
      expiresAt: NOW,
    });
    expect(checkLimits(dm)).toEqual([]);
    expect(dm.text).not.toContain('TOKEN123');
    expect(mrkdwnTexts(dm).join('')).not.toContain('TOKEN123');
  });
});
