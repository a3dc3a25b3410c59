import * as client from 'openid-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OktaPeer } from './index.ts';
import { CLIENT_ID, CLIENT_SECRET, LOGIN, PASSWORD, REDIRECT_URI, startOrg } from './testkit.ts';

const SCOPE = 'openid profile email offline_access okta.users.read okta.roles.read';

describe('openid-client v6 against the Okta peer', () => {
  let okta: OktaPeer;
  let userId: string;
  let config: client.Configuration;

  beforeEach(async () => {
    ({ okta, userId } = await startOrg({
      app: { refreshToken: { rotation: 'ROTATE', leewaySeconds: 30 } },
    }));
    config = await client.discovery(
      new URL(okta.origin),
      CLIENT_ID,
      CLIENT_SECRET,
      client.ClientSecretBasic(CLIENT_SECRET),
      { execute: [client.allowInsecureRequests] },
    );
  });
  afterEach(() => okta.close());

  async function authorize() {
    const pkceCodeVerifier = client.randomPKCECodeVerifier();
    const expectedState = client.randomState();
    const expectedNonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: SCOPE,
      code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
      code_challenge_method: 'S256',
      state: expectedState,
      nonce: expectedNonce,
    });
    const callback = await okta.signIn(url, { username: LOGIN, password: PASSWORD });
    return { callback, checks: { pkceCodeVerifier, expectedState, expectedNonce } };
  }

  it('completes the code flow with PKCE, refreshes with and without rotation, and reads userinfo', async () => {
    const { callback, checks } = await authorize();
    const tokens = await client.authorizationCodeGrant(config, callback, checks);

    expect(tokens.token_type).toBe('bearer');
    expect(tokens.scope).toBe(
      'openid profile email offline_access okta.users.read okta.roles.read',
    );
    expect(tokens.claims()).toMatchObject({
      iss: okta.issuer,
      aud: CLIENT_ID,
      sub: userId,
      preferred_username: LOGIN,
    });
    const firstRefresh = tokens.refresh_token;
    if (firstRefresh === undefined) throw new Error('expected a refresh token');

    const rotated = await client.refreshTokenGrant(config, firstRefresh);
    expect(rotated.refresh_token).toBeDefined();
    expect(rotated.refresh_token).not.toBe(firstRefresh);
    expect(rotated.access_token).not.toBe(tokens.access_token);

    okta.updateApp(CLIENT_ID, { refreshToken: { rotation: 'STATIC' } });
    const secondRefresh = rotated.refresh_token as string;
    const persistent = await client.refreshTokenGrant(config, secondRefresh);
    expect(persistent.refresh_token).toBe(secondRefresh);

    const userinfo = await client.fetchUserInfo(config, persistent.access_token, userId);
    expect(userinfo).toMatchObject({ sub: userId, preferred_username: LOGIN, email: LOGIN });
  });

  it('also authenticates with client_secret_post', async () => {
    const postConfig = await client.discovery(
      new URL(okta.origin),
      CLIENT_ID,
      CLIENT_SECRET,
      client.ClientSecretPost(CLIENT_SECRET),
      { execute: [client.allowInsecureRequests] },
    );
    const { callback, checks } = await authorize();
    const tokens = await client.authorizationCodeGrant(postConfig, callback, checks);
    expect(tokens.access_token).toEqual(expect.any(String));
  });

  it('surfaces a wrong client secret as invalid_client', async () => {
    const wrong = await client.discovery(
      new URL(okta.origin),
      CLIENT_ID,
      'nope',
      client.ClientSecretBasic('nope'),
      {
        execute: [client.allowInsecureRequests],
      },
    );
    const { callback, checks } = await authorize();
    await expect(client.authorizationCodeGrant(wrong, callback, checks)).rejects.toMatchObject({
      error: 'invalid_client',
      error_description: 'The client secret supplied for a confidential client is invalid.',
      status: 401,
    });
  });

  it('rejects an ID token signed by a key that is not in the JWKS when non-repudiation checks are on', async () => {
    client.enableNonRepudiationChecks(config);
    const { callback, checks } = await authorize();
    okta.tamperNextToken('foreign-key');
    await expect(client.authorizationCodeGrant(config, callback, checks)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/signature/i) },
    });
  });

  // openid-client trusts the token endpoint's TLS channel (OIDC Core §3.1.3.7) and skips
  // the ID token signature unless told otherwise: worth knowing for the bot's client.
  it('shows that openid-client skips the ID token signature by default', async () => {
    const { callback, checks } = await authorize();
    okta.tamperNextToken('foreign-key');
    await expect(client.authorizationCodeGrant(config, callback, checks)).resolves.toBeDefined();
  });

  it('rejects an ID token with another issuer', async () => {
    const { callback, checks } = await authorize();
    okta.tamperNextToken('wrong-iss');
    await expect(client.authorizationCodeGrant(config, callback, checks)).rejects.toMatchObject({
      code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
      cause: { cause: { claim: 'iss' } },
    });
  });

  it('rejects an ID token with another nonce', async () => {
    const { callback, checks } = await authorize();
    okta.tamperNextToken('wrong-nonce');
    await expect(client.authorizationCodeGrant(config, callback, checks)).rejects.toMatchObject({
      code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
      cause: { cause: { claim: 'nonce' } },
    });
  });

  it('rejects a token response without access_token', async () => {
    const { callback, checks } = await authorize();
    okta.tamperNextToken('no-access-token');
    await expect(client.authorizationCodeGrant(config, callback, checks)).rejects.toMatchObject({
      code: 'OAUTH_INVALID_RESPONSE',
    });
  });
});
