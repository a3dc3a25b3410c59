import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OktaPeer } from './index.ts';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  callbackParams,
  codeFlow,
  getAuthorize,
  LOGIN,
  pkce,
  postForm,
  REDIRECT_URI,
  readJson,
  startOrg,
  type TokenBody,
} from './testkit.ts';

describe('Okta peer /oauth2/v1/token with the authorization_code grant', () => {
  let okta: OktaPeer;
  let userId: string;

  beforeEach(async () => {
    ({ okta, userId } = await startOrg());
    okta.autoSignIn(userId);
  });
  afterEach(() => okta.close());

  /** Authorizes with PKCE and returns what the token request needs. */
  async function authorized(params: Record<string, string | null> = {}) {
    const { verifier, challenge } = pkce();
    const callback = callbackParams(
      await getAuthorize(okta, {
        code_challenge: challenge,
        code_challenge_method: 'S256',
        ...params,
      }),
    );
    const body = {
      grant_type: 'authorization_code',
      code: callback.get('code') ?? '',
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    };
    return {
      body,
      exchange: (overrides: Record<string, string> = {}) =>
        postForm(okta, '/oauth2/v1/token', { ...body, ...overrides }),
    };
  }

  async function expectError(
    response: Response,
    status: number,
    error: string,
    description: string,
  ) {
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error, error_description: description });
  }

  it('answers like Okta: Bearer, 3600 s, a JWT access token with scp, an ID token and a refresh token', async () => {
    const { exchange } = await authorized();
    const response = await exchange();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await readJson<TokenBody>(response);
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'openid profile email offline_access okta.users.read okta.logs.read',
      refresh_token: expect.any(String),
    });
    const access = decodeJwt(body.access_token);
    expect(access).toMatchObject({ iss: okta.issuer, cid: CLIENT_ID, uid: userId, sub: LOGIN });
    expect(access.scp).toEqual(body.scope.split(' '));
    const id = decodeJwt(body.id_token ?? '');
    expect(id).toMatchObject({
      iss: okta.issuer,
      aud: CLIENT_ID,
      sub: userId,
      nonce: 'nonce-456',
      preferred_username: LOGIN,
      at_hash: expect.any(String),
    });
    expect((id.exp ?? 0) - (id.iat ?? 0)).toBe(3600);
  });

  it('accepts client_secret_post as well as client_secret_basic', async () => {
    const { body } = await authorized();
    const response = await postForm(
      okta,
      '/oauth2/v1/token',
      { ...body, client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
      null,
    );
    expect(response.status).toBe(200);
  });

  it('returns no refresh token without offline_access, and no ID token without openid', async () => {
    const tokens = await codeFlow(okta, userId, { scope: 'okta.users.read' });
    expect(tokens.scope).toBe('okta.users.read');
    expect(tokens).not.toHaveProperty('refresh_token');
    expect(tokens).not.toHaveProperty('id_token');
  });

  it('returns no refresh token when the app lacks the refresh_token grant type', async () => {
    okta.updateApp(CLIENT_ID, { grantTypes: ['authorization_code'] });
    const tokens = await codeFlow(okta, userId);
    expect(tokens).not.toHaveProperty('refresh_token');
  });

  it('answers invalid_grant when a code is used twice', async () => {
    const { exchange } = await authorized();
    expect((await exchange()).status).toBe(200);
    await expectError(
      await exchange(),
      400,
      'invalid_grant',
      'The authorization code is invalid or has expired.',
    );
  });

  it('accepts a code for 300 s and no longer', async () => {
    const early = await authorized();
    okta.clock.advance(299_000);
    expect((await early.exchange()).status).toBe(200);
    const late = await authorized();
    okta.clock.advance(300_000);
    await expectError(
      await late.exchange(),
      400,
      'invalid_grant',
      'The authorization code is invalid or has expired.',
    );
  });

  it('answers invalid_grant for an unknown code', async () => {
    const { exchange } = await authorized();
    await expectError(
      await exchange({ code: 'made-up' }),
      400,
      'invalid_grant',
      'The authorization code is invalid or has expired.',
    );
  });

  it('answers invalid_grant when redirect_uri differs from the one used at authorize', async () => {
    const { exchange } = await authorized();
    await expectError(
      await exchange({ redirect_uri: 'http://127.0.0.1:9/other' }),
      400,
      'invalid_grant',
      "The 'redirect_uri' does not match the redirection URI used in the authorization request.",
    );
  });

  it('answers invalid_grant when the PKCE verifier is wrong or missing', async () => {
    const wrong = await authorized();
    await expectError(
      await wrong.exchange({ code_verifier: pkce().verifier }),
      400,
      'invalid_grant',
      'PKCE verification failed.',
    );
    const missing = await authorized();
    const { code_verifier: _, ...withoutVerifier } = missing.body;
    await expectError(
      await postForm(okta, '/oauth2/v1/token', withoutVerifier),
      400,
      'invalid_grant',
      'PKCE verification failed.',
    );
  });

  it('answers invalid_grant when the code was issued to another client', async () => {
    okta.addApp({
      clientId: '0oa2other',
      clientSecret: 'other-secret',
      redirectUris: [REDIRECT_URI],
    });
    const { body } = await authorized();
    const response = await postForm(okta, '/oauth2/v1/token', body, {
      id: '0oa2other',
      secret: 'other-secret',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('answers 401 invalid_client for a wrong secret, an unknown client or no credentials', async () => {
    const { body } = await authorized();
    await expectError(
      await postForm(okta, '/oauth2/v1/token', body, { id: CLIENT_ID, secret: 'wrong' }),
      401,
      'invalid_client',
      'The client secret supplied for a confidential client is invalid.',
    );
    await expectError(
      await postForm(okta, '/oauth2/v1/token', body, { id: '0oaUnknown', secret: 'x' }),
      401,
      'invalid_client',
      "Invalid value for 'client_id' parameter.",
    );
    await expectError(
      await postForm(okta, '/oauth2/v1/token', body, null),
      401,
      'invalid_client',
      'No client credentials found.',
    );
  });

  it('authenticates the client before it looks at the code: a made-up code tells a wrong secret from a right one', async () => {
    const madeUp = {
      grant_type: 'authorization_code',
      code: 'okta-connect-check-code-that-cannot-exist',
      redirect_uri: REDIRECT_URI,
    };
    await expectError(
      await postForm(okta, '/oauth2/v1/token', madeUp, { id: CLIENT_ID, secret: 'wrong' }),
      401,
      'invalid_client',
      'The client secret supplied for a confidential client is invalid.',
    );
    await expectError(
      await postForm(okta, '/oauth2/v1/token', madeUp),
      400,
      'invalid_grant',
      'The authorization code is invalid or has expired.',
    );
  });

  it('answers unauthorized_client, listing the configured grant types, for a grant type the app lacks', async () => {
    okta.updateApp(CLIENT_ID, { grantTypes: ['authorization_code'] });
    await expectError(
      await postForm(okta, '/oauth2/v1/token', { grant_type: 'refresh_token', refresh_token: 'x' }),
      400,
      'unauthorized_client',
      'The client is not authorized to use the provided grant type. Configured grant types: [authorization_code].',
    );
  });

  it('answers unsupported_grant_type for a grant type Okta does not know', async () => {
    const response = await postForm(okta, '/oauth2/v1/token', { grant_type: 'urn:example:magic' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });
});
