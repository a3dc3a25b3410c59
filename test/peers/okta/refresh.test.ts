import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import type { OktaPeer, RefreshTokenPolicy } from './index.ts';
import {
  bearer,
  CLIENT_ID,
  codeFlow,
  postForm,
  refresh,
  startOrg,
  type TokenBody,
} from './testkit.ts';

const INVALID = {
  error: 'invalid_grant',
  error_description: 'The refresh token is invalid or expired.',
};

describe('Okta peer /oauth2/v1/token with the refresh_token grant', () => {
  let okta: OktaPeer | undefined;
  afterEach(() => okta?.close());

  async function connected(refreshToken: RefreshTokenPolicy) {
    const started = await startOrg({ app: { refreshToken } });
    okta = started.okta;
    const tokens = await codeFlow(started.okta, started.userId);
    if (!tokens.refresh_token) throw new Error('expected a refresh token');
    return { okta: started.okta, tokens, refreshToken: tokens.refresh_token };
  }

  async function ok(response: Response): Promise<TokenBody> {
    expect(response.status).toBe(200);
    return (await response.json()) as TokenBody;
  }

  async function expectInvalidGrant(response: Response) {
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(INVALID);
  }

  describe('without rotation (STATIC)', () => {
    it('returns a new access token and the same refresh token, as often as asked', async () => {
      const { okta, tokens, refreshToken } = await connected({ rotation: 'STATIC' });
      const first = await ok(await refresh(okta, refreshToken));
      const second = await ok(await refresh(okta, refreshToken));
      expect(first.refresh_token).toBe(refreshToken);
      expect(second.refresh_token).toBe(refreshToken);
      expect(first.access_token).not.toBe(tokens.access_token);
      expect(first).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: tokens.scope });
      expect(okta.tokenStatus(tokens.access_token)).toBe('active');
    });

    it('returns an ID token without a nonce', async () => {
      const { okta, refreshToken } = await connected({ rotation: 'STATIC' });
      const body = await ok(await refresh(okta, refreshToken));
      expect(decodeJwt(body.id_token ?? '')).not.toHaveProperty('nonce');
    });
  });

  describe('with rotation (ROTATE)', () => {
    it('returns a new refresh token and marks the previous one rotated', async () => {
      const { okta, refreshToken } = await connected({ rotation: 'ROTATE', leewaySeconds: 30 });
      const body = await ok(await refresh(okta, refreshToken));
      expect(body.refresh_token).toEqual(expect.any(String));
      expect(body.refresh_token).not.toBe(refreshToken);
      expect(okta.tokenStatus(refreshToken)).toBe('rotated');
      expect(okta.tokenStatus(body.refresh_token ?? '')).toBe('active');
    });

    it('still accepts the previous refresh token within the grace period, returning the current one', async () => {
      const { okta, refreshToken } = await connected({ rotation: 'ROTATE', leewaySeconds: 30 });
      const rotated = await ok(await refresh(okta, refreshToken));
      okta.clock.advance(29_000);
      const retried = await ok(await refresh(okta, refreshToken));
      expect(retried.refresh_token).toBe(rotated.refresh_token);
      expect((await ok(await refresh(okta, rotated.refresh_token ?? ''))).refresh_token).not.toBe(
        rotated.refresh_token,
      );
    });

    it('answers invalid_grant when a rotated refresh token is reused after the grace period, and revokes the whole chain', async () => {
      const { okta, tokens, refreshToken } = await connected({
        rotation: 'ROTATE',
        leewaySeconds: 30,
      });
      const rotated = await ok(await refresh(okta, refreshToken));
      okta.clock.advance(30_000);
      await expectInvalidGrant(await refresh(okta, refreshToken));
      await expectInvalidGrant(await refresh(okta, rotated.refresh_token ?? ''));
      for (const token of [
        tokens.access_token,
        rotated.access_token,
        refreshToken,
        rotated.refresh_token ?? '',
      ]) {
        expect(okta.tokenStatus(token)).toBe('revoked');
      }
      const userinfo = await fetch(
        `${okta.origin}/oauth2/v1/userinfo`,
        bearer(rotated.access_token),
      );
      expect(userinfo.status).toBe(401);
    });

    it('treats any reuse as theft when the grace period is 0', async () => {
      const { okta, refreshToken } = await connected({ rotation: 'ROTATE', leewaySeconds: 0 });
      await ok(await refresh(okta, refreshToken));
      await expectInvalidGrant(await refresh(okta, refreshToken));
    });

    it('refuses a grace period outside 0–60 s', async () => {
      const started = await startOrg();
      okta = started.okta;
      expect(() =>
        started.okta.updateApp(CLIENT_ID, {
          refreshToken: { rotation: 'ROTATE', leewaySeconds: 61 },
        }),
      ).toThrow(RangeError);
    });
  });

  describe('invalid refresh tokens', () => {
    it('answers invalid_grant for an unknown refresh token', async () => {
      const { okta } = await connected({ rotation: 'STATIC' });
      await expectInvalidGrant(await refresh(okta, 'not-a-token'));
    });

    it('answers invalid_grant 90 days after the code exchange, rotated or not', async () => {
      const { okta, refreshToken } = await connected({ rotation: 'ROTATE' });
      okta.clock.advance(89 * 24 * 3600 * 1000);
      const rotated = await ok(await refresh(okta, refreshToken));
      okta.clock.advance(24 * 3600 * 1000);
      await expectInvalidGrant(await refresh(okta, rotated.refresh_token ?? ''));
      expect(okta.tokenStatus(rotated.refresh_token ?? '')).toBe('expired');
    });

    it('answers invalid_grant once an admin revoked the tokens', async () => {
      const { okta, refreshToken } = await connected({ rotation: 'STATIC' });
      expect(okta.revokeTokens({ clientId: CLIENT_ID })).toBe(1);
      await expectInvalidGrant(await refresh(okta, refreshToken));
    });

    it("answers invalid_grant for another client's refresh token", async () => {
      const { okta, refreshToken } = await connected({ rotation: 'STATIC' });
      okta.addApp({
        clientId: '0oa2other',
        clientSecret: 'other',
        redirectUris: ['http://127.0.0.1:9/cb'],
      });
      const response = await postForm(
        okta,
        '/oauth2/v1/token',
        { grant_type: 'refresh_token', refresh_token: refreshToken },
        { id: '0oa2other', secret: 'other' },
      );
      await expectInvalidGrant(response);
    });
  });

  describe('scope on refresh', () => {
    it('issues an access token with a subset of the original scopes', async () => {
      const { okta, refreshToken } = await connected({ rotation: 'STATIC' });
      const body = await ok(await refresh(okta, refreshToken, { scope: 'openid okta.users.read' }));
      expect(body.scope).toBe('openid okta.users.read');
    });

    it('answers access_denied for a scope the original authorization did not grant', async () => {
      const { okta, refreshToken } = await connected({ rotation: 'STATIC' });
      const response = await refresh(okta, refreshToken, { scope: 'openid okta.roles.read' });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: 'access_denied',
        error_description:
          'Some of the scopes requested for the refresh request were not granted in the original authorize request. Denied scopes: okta.roles.read.',
      });
    });
  });
});
