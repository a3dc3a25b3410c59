import { afterEach, describe, expect, it } from 'vitest';
import { secretCredential } from '../../src/clientCredential.ts';
import { isBotError } from '../../src/errors.ts';
import { OktaOrgs } from '../../src/okta/oktaOrgs.ts';
import { refreshTokens } from '../../src/okta/refreshTokens.ts';
import { type OktaPeer, startOktaPeer } from '../peers/okta/index.ts';

let okta: OktaPeer | undefined;
afterEach(async () => {
  okta?.clearFaults();
  await okta?.close();
  okta = undefined;
});

describe('Okta not answering in time', () => {
  it('is a retryable okta_unreachable, not a malformed answer', async () => {
    okta = await startOktaPeer();
    okta.addApp({
      clientId: '0oaT',
      clientSecret: 'secret-0123456789',
      redirectUris: ['http://127.0.0.1/cb'],
    });
    const user = okta.addUser({
      login: 'a@b.example',
      password: 'pw',
      roles: ['SUPER_ADMIN'],
      assignedTo: ['0oaT'],
    });
    const tokens = await okta.issueTokens({
      clientId: '0oaT',
      userId: user.id,
      scopes: ['openid', 'offline_access'],
    });
    const orgs = new OktaOrgs({
      originOverrides: new Map([['acme.okta.com', okta.origin]]),
      timeoutSeconds: 1,
    });
    okta.injectFault('/oauth2/v1/token', { kind: 'delay', ms: 5_000 });
    const error = await refreshTokens(orgs, {
      domain: 'acme.okta.com',
      clientId: '0oaT',
      credential: secretCredential('secret-0123456789'),
      refreshToken: tokens.refresh_token ?? '',
      now: Date.now,
    }).catch((caught: unknown) => caught);
    expect(isBotError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'okta_unreachable', retryable: true });
  });
});
