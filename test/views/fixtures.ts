import { expect } from 'vitest';
import type { Connection } from '../../src/db/connectionModel.ts';
import { allStrings, mrkdwnTexts } from './checkLimits.ts';

/** Nicknames (and other typed values) an attacker or a careless admin could enter. */
export const HOSTILE = [
  '<!channel>',
  '<@U123>',
  '<https://evil.example|click here>',
  '*bold*',
  '&amp;',
  '😀'.repeat(40),
  'line\nbreak\ttab\u0000nul\u202Eright-to-left',
  '<!here> & <#C123|general>',
] as const;

/**
 * Slack turns `<…>` in mrkdwn into mentions and links; escaped text never contains `<`.
 * Control characters (other than the line breaks the builders put between lines) never
 * reach Slack.
 */
export function expectNothingRaw(surface: unknown): void {
  for (const text of mrkdwnTexts(surface)) {
    expect(text).not.toMatch(/<[!@#]|<https?:/);
  }
  for (const text of allStrings(surface)) {
    expect(text.replaceAll('\n', '')).not.toMatch(/\p{Cc}|\u202E/u);
  }
}

/** Mrkdwn texts joined, to look for words. */
export function shownText(surface: unknown): string {
  return allStrings(surface).join('\n');
}

const HOUR = 3_600_000;
export const NOW = Date.UTC(2026, 7, 21, 14, 5);

export function aConnection(overrides: Partial<Connection> = {}): Connection {
  return {
    id: 'c0nn-1',
    teamId: 'T123',
    nickname: 'acme-prod',
    orgKind: 'other',
    domain: 'acme.okta.com',
    clientId: '0oa1example',
    scopeMode: 'default',
    requestedScopes: ['openid', 'offline_access', 'okta.users.read'],
    grantedScopes: ['openid', 'offline_access', 'okta.users.read'],
    status: 'active',
    statusCode: null,
    statusText: null,
    attention: null,
    hasClientSecret: true,
    hasRefreshToken: true,
    clientAuthMethod: 'client_secret_basic',
    clientKey: null,
    pendingClientKey: null,
    accessExpiresAt: NOW + HOUR,
    lastCheckedAt: NOW,
    lastRefreshedAt: NOW,
    failureCount: 0,
    lastError: null,
    lastErrorAt: null,
    failingSince: null,
    authorizedSub: '00u1example',
    authorizedLogin: 'admin@acme.example',
    authorizedBy: 'U0ADMIN1',
    authorizedAt: NOW - 24 * HOUR,
    createdBy: 'U0ADMIN1',
    notifyChannel: 'C0ALERTS',
    notifyMessage: null,
    leaseOwner: null,
    leaseExpiresAt: null,
    version: 1,
    createdAt: NOW - 48 * HOUR,
    updatedAt: NOW,
    deletedAt: null,
    ...overrides,
  };
}
