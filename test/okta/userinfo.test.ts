import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBotError } from '../../src/errors.ts';
import { OktaOrgs } from '../../src/okta/oktaOrgs.ts';
import { fetchUserinfo } from '../../src/okta/userinfo.ts';
import type { OktaPeer } from '../peers/okta/index.ts';
import { codeFlow, LOGIN, startOrg } from '../peers/okta/testkit.ts';

const DOMAIN = 'acme.okta.com';

describe('fetchUserinfo', () => {
  let okta: OktaPeer;
  let userId: string;
  let orgs: OktaOrgs;

  beforeEach(async () => {
    ({ okta, userId } = await startOrg());
    orgs = new OktaOrgs({ originOverrides: new Map([[DOMAIN, okta.origin]]) });
  });
  afterEach(() => okta.close());

  it('returns who the access token acts for', async () => {
    const { access_token } = await codeFlow(okta, userId, { scope: 'openid profile' });
    expect(await fetchUserinfo(orgs, DOMAIN, access_token)).toEqual({
      ok: true,
      sub: userId,
      login: LOGIN,
    });
  });

  it('answers invalid_token for a revoked access token', async () => {
    const { access_token } = await codeFlow(okta, userId, { scope: 'openid' });
    okta.revokeTokens({ userId });
    expect(await fetchUserinfo(orgs, DOMAIN, access_token)).toEqual({
      ok: false,
      code: 'invalid_token',
      status: 401,
    });
  });

  it('throws a retryable error when Okta rate limits or fails', async () => {
    const { access_token } = await codeFlow(okta, userId, { scope: 'openid' });
    okta.injectFault('/oauth2/v1/userinfo', { kind: 'status', status: 429, times: 1 });
    okta.injectFault('/oauth2/v1/userinfo', { kind: 'status', status: 502, times: 1 });
    for (const code of ['okta_rate_limited', 'okta_unavailable']) {
      const error = await fetchUserinfo(orgs, DOMAIN, access_token).catch((e: unknown) => e);
      expect(isBotError(error, code)).toBe(true);
      expect(isBotError(error) && error.retryable).toBe(true);
    }
  });
});
