import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OktaPeer } from './index.ts';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  codeFlow,
  LOGIN,
  postForm,
  refresh,
  startOrg,
  type TokenBody,
} from './testkit.ts';

describe('Okta peer /oauth2/v1/revoke and /oauth2/v1/introspect', () => {
  let okta: OktaPeer;
  let tokens: TokenBody;
  let refreshToken: string;
  let userId: string;

  beforeEach(async () => {
    ({ okta, userId } = await startOrg());
    tokens = await codeFlow(okta, userId);
    refreshToken = tokens.refresh_token ?? '';
  });
  afterEach(() => okta.close());

  const revoke = (token: string, auth?: { id: string; secret: string }) =>
    postForm(okta, '/oauth2/v1/revoke', { token }, auth);
  const introspect = async (token: string, auth?: { id: string; secret: string }) =>
    (await postForm(okta, '/oauth2/v1/introspect', { token }, auth)).json();

  describe('revoke', () => {
    it('answers 200 with an empty body, even for a token it never issued', async () => {
      const response = await revoke('never-issued');
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('');
    });

    it('requires client authentication', async () => {
      const response = await revoke(refreshToken, { id: CLIENT_ID, secret: 'wrong' });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'invalid_client' });
      expect(okta.tokenStatus(refreshToken)).toBe('active');
    });

    it('revokes the whole chain when given a refresh token', async () => {
      expect((await revoke(refreshToken)).status).toBe(200);
      expect(okta.tokenStatus(refreshToken)).toBe('revoked');
      expect(okta.tokenStatus(tokens.access_token)).toBe('revoked');
      expect((await refresh(okta, refreshToken)).status).toBe(400);
    });

    it('revokes only that token when given an access token', async () => {
      await revoke(tokens.access_token);
      expect(okta.tokenStatus(tokens.access_token)).toBe('revoked');
      expect((await refresh(okta, refreshToken)).status).toBe(200);
    });

    it("leaves another client's tokens alone", async () => {
      okta.addApp({
        clientId: '0oa2other',
        clientSecret: 'other',
        redirectUris: ['http://127.0.0.1:9/cb'],
      });
      await revoke(refreshToken, { id: '0oa2other', secret: 'other' });
      expect(okta.tokenStatus(refreshToken)).toBe('active');
    });
  });

  describe('introspect', () => {
    it('describes an active access token', async () => {
      expect(await introspect(tokens.access_token)).toMatchObject({
        active: true,
        token_type: 'Bearer',
        scope: tokens.scope,
        client_id: CLIENT_ID,
        username: LOGIN,
        sub: LOGIN,
        uid: userId,
        exp: expect.any(Number),
      });
    });

    it('describes an active refresh token', async () => {
      expect(await introspect(refreshToken)).toMatchObject({
        active: true,
        client_id: CLIENT_ID,
        username: LOGIN,
      });
    });

    it('answers active false for unknown, revoked, expired and foreign tokens', async () => {
      expect(await introspect('never-issued')).toEqual({ active: false });
      okta.addApp({
        clientId: '0oa2other',
        clientSecret: 'other',
        redirectUris: ['http://127.0.0.1:9/cb'],
      });
      expect(await introspect(tokens.access_token, { id: '0oa2other', secret: 'other' })).toEqual({
        active: false,
      });
      okta.clock.advance(3600_000);
      expect(await introspect(tokens.access_token)).toEqual({ active: false });
      await revoke(refreshToken);
      expect(await introspect(refreshToken)).toEqual({ active: false });
    });

    it('requires client authentication', async () => {
      const response = await postForm(okta, '/oauth2/v1/introspect', { token: refreshToken }, null);
      expect(response.status).toBe(401);
      const posted = await postForm(
        okta,
        '/oauth2/v1/introspect',
        { token: refreshToken, client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
        null,
      );
      expect(await posted.json()).toMatchObject({ active: true });
    });
  });
});
