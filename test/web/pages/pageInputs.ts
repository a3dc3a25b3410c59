import { failureMessage, warningMessage } from '../../../src/views/messages.ts';
import type { ProblemPageInput } from '../../../src/web/pages/renderProblemPage.ts';
import type { ResultPageInput } from '../../../src/web/pages/renderResultPage.ts';
import type { SetupPageInput } from '../../../src/web/pages/renderSetupPage.ts';

export const OKTA_ORIGIN = 'http://127.0.0.1:53211';

export function setupInput(overrides: Partial<SetupPageInput> = {}): SetupPageInput {
  return {
    purpose: 'create',
    nickname: 'acme-prod',
    domain: 'acme.okta.com',
    oktaOrigin: OKTA_ORIGIN,
    clientId: '0oa1b2c3d4e5f6g7h8i9',
    scopes: [
      { name: 'okta.users.read', description: 'Read users and their profiles' },
      { name: 'okta.groups.read', description: 'Read groups and their members' },
      { name: 'okta.custom.thing' },
    ],
    unknownScopes: ['okta.custom.thing'],
    redirectUri: 'https://bot.example.com/oauth/okta/callback',
    csrfToken: 'csrf-QWxhZGRpbjpvcGVuIHNlc2FtZQ',
    formAction: '/connect/tok_abc123',
    hasStoredSecret: false,
    expiresAt: Date.UTC(2025, 5, 1, 14, 7, 30),
    ...overrides,
  };
}

export function resultInput(overrides: Partial<ResultPageInput> = {}): ResultPageInput {
  return {
    nickname: 'acme-prod',
    domain: 'acme.okta.com',
    purpose: 'create',
    granted: ['openid', 'offline_access', 'okta.users.read'],
    dropped: ['okta.groups.read'],
    warnings: [warningMessage('roles_unchecked')],
    authorizedLogin: 'admin@acme.example',
    slackUrl: 'https://slack.com/app_redirect?team=T123&channel=D456',
    ...overrides,
  };
}

export function problemInput(overrides: Partial<ProblemPageInput> = {}): ProblemPageInput {
  return {
    message: failureMessage('link_expired', { nickname: 'acme-prod' }),
    status: 410,
    retryUrl: '/connect/tok_abc123',
    nickname: 'acme-prod',
    ...overrides,
  };
}
