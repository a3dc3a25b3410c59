import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OktaPeer } from './index.ts';
import { bearer, codeFlow, LOGIN, startOrg } from './testkit.ts';

const INVALID_TOKEN =
  'Bearer error="invalid_token", error_description="The access token is invalid"';

describe('Okta peer /oauth2/v1/userinfo', () => {
  let okta: OktaPeer;
  let userId: string;

  beforeEach(async () => {
    ({ okta, userId } = await startOrg({ user: { firstName: 'Ada', lastName: 'Lovelace' } }));
  });
  afterEach(() => okta.close());

  const userinfo = (token: string) => fetch(`${okta.origin}/oauth2/v1/userinfo`, bearer(token));

  it('returns the user claims the token scopes allow', async () => {
    const { access_token } = await codeFlow(okta, userId, { scope: 'openid profile email' });
    const response = await userinfo(access_token);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      sub: userId,
      preferred_username: LOGIN,
      name: 'Ada Lovelace',
      email: LOGIN,
    });
  });

  it('returns only sub with openid alone', async () => {
    const { access_token } = await codeFlow(okta, userId, { scope: 'openid' });
    expect(await (await userinfo(access_token)).json()).toEqual({ sub: userId });
  });

  it('answers POST as well as GET', async () => {
    const { access_token } = await codeFlow(okta, userId, { scope: 'openid' });
    const response = await fetch(`${okta.origin}/oauth2/v1/userinfo`, {
      method: 'POST',
      ...bearer(access_token),
    });
    expect(response.status).toBe(200);
  });

  it('answers 401 with an invalid_token challenge for an unknown, expired or revoked token', async () => {
    const { access_token } = await codeFlow(okta, userId, { scope: 'openid' });
    const unknown = await userinfo('not-a-token');
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toBe(INVALID_TOKEN);
    expect(await unknown.text()).toBe('');

    okta.clock.advance(3600_000);
    expect((await userinfo(access_token)).headers.get('www-authenticate')).toBe(INVALID_TOKEN);

    const fresh = await codeFlow(okta, userId, { scope: 'openid' });
    okta.revokeTokens({ userId });
    expect((await userinfo(fresh.access_token)).status).toBe(401);
  });

  it('answers 401 without any token', async () => {
    expect((await fetch(`${okta.origin}/oauth2/v1/userinfo`)).status).toBe(401);
  });

  it('answers 403 insufficient_scope for a token without openid', async () => {
    const { access_token } = await codeFlow(okta, userId, { scope: 'okta.users.read' });
    const response = await userinfo(access_token);
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="insufficient_scope"/);
  });
});
