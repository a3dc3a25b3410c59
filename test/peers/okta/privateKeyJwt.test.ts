import { randomUUID } from 'node:crypto';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OktaPeer } from './index.ts';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  callbackParams,
  getAuthorize,
  pkce,
  postForm,
  REDIRECT_URI,
  startOrg,
} from './testkit.ts';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const KID = 'bot-key-1';

interface KeyPair {
  privateKey: CryptoKey;
  jwk: JWK;
}

async function keyPair(alg: 'ES256' | 'RS256', kid: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

describe('Okta peer: client authentication with private_key_jwt', () => {
  let okta: OktaPeer;
  let userId: string;
  let es256: KeyPair;
  let rs256: KeyPair;
  let foreign: KeyPair;

  beforeAll(async () => {
    [es256, rs256, foreign] = await Promise.all([
      keyPair('ES256', KID),
      keyPair('RS256', 'bot-key-rsa'),
      keyPair('ES256', KID),
    ]);
  });

  beforeEach(async () => {
    ({ okta, userId } = await startOrg({
      app: { authMethod: 'private_key_jwt', jwks: [es256.jwk, rs256.jwk] },
    }));
  });
  afterEach(() => okta.close());

  const tokenUrl = () => `${okta.origin}/oauth2/v1/token`;

  /** A client assertion as Okta's guide builds it; `claims` and `header` override parts. */
  function assertion(
    options: {
      key?: KeyPair;
      alg?: 'ES256' | 'RS256';
      claims?: Record<string, unknown>;
      lifetimeSeconds?: number;
    } = {},
  ): Promise<string> {
    const key = options.key ?? es256;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: CLIENT_ID,
      sub: CLIENT_ID,
      aud: tokenUrl(),
      jti: randomUUID(),
      iat: now,
      exp: now + (options.lifetimeSeconds ?? 60),
      ...options.claims,
    })
      .setProtectedHeader({ alg: options.alg ?? 'ES256', kid: key.jwk.kid as string })
      .sign(key.privateKey);
  }

  /** A code that cannot exist: `invalid_grant` means the client was authenticated first. */
  function tokenRequest(clientAssertion: string, extra: Record<string, string> = {}) {
    return postForm(
      okta,
      '/oauth2/v1/token',
      {
        grant_type: 'authorization_code',
        code: 'no-such-code',
        redirect_uri: REDIRECT_URI,
        client_id: CLIENT_ID,
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: clientAssertion,
        ...extra,
      },
      null,
    );
  }

  async function expectRefused(response: Response, description: string) {
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: 'invalid_client',
      error_description: description,
    });
  }

  it('exchanges a code for tokens with an ES256 assertion', async () => {
    const { verifier, challenge } = pkce();
    okta.autoSignIn(userId);
    const callback = callbackParams(
      await getAuthorize(okta, { code_challenge: challenge, code_challenge_method: 'S256' }),
    );
    const response = await tokenRequest(await assertion(), {
      code: callback.get('code') ?? '',
      code_verifier: verifier,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ token_type: 'Bearer' });
  });

  it('authenticates the client before looking at the code, with RS256 too', async () => {
    const response = await tokenRequest(await assertion({ key: rs256, alg: 'RS256' }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('accepts a jti once: the same assertion again is invalid_client', async () => {
    const once = await assertion();
    expect((await tokenRequest(once)).status).toBe(400);
    await expectRefused(
      await tokenRequest(once),
      'The client_assertion token has already been used.',
    );
  });

  it('refuses an aud that is the issuer rather than the endpoint invoked', async () => {
    await expectRefused(
      await tokenRequest(await assertion({ claims: { aud: okta.origin } })),
      'The audience claim for client_assertion must be the endpoint invoked for the request.',
    );
  });

  it('refuses an expired assertion and one that lives longer than an hour', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(
      await tokenRequest(await assertion({ claims: { iat: now - 120, exp: now - 60 } })),
      'The client_assertion token is expired.',
    );
    await expectRefused(
      await tokenRequest(await assertion({ lifetimeSeconds: 2 * 60 * 60 })),
      'The client_assertion token has an expiration too far into the future.',
    );
  });

  it('refuses iss or sub other than the client ID', async () => {
    await expectRefused(
      await tokenRequest(await assertion({ claims: { sub: 'someone-else' } })),
      "The 'iss' and 'sub' claims of the client_assertion must be the client_id.",
    );
  });

  it('refuses a signature by a key that was not added to the app, even under its kid', async () => {
    await expectRefused(
      await tokenRequest(await assertion({ key: foreign })),
      'The client_assertion signature is invalid.',
    );
  });

  it('refuses a wrong client_assertion_type', async () => {
    await expectRefused(
      await tokenRequest(await assertion(), { client_assertion_type: 'jwt' }),
      'The client_assertion_type is invalid.',
    );
  });

  it('refuses a client secret for an app that authenticates with keys', async () => {
    const response = await postForm(okta, '/oauth2/v1/token', {
      grant_type: 'authorization_code',
      code: 'no-such-code',
      redirect_uri: REDIRECT_URI,
    });
    await expectRefused(
      response,
      'Client authentication failed. Either the client or the client credentials are invalid.',
    );
  });

  it('refuses an assertion for an app that authenticates with a secret', async () => {
    okta.updateApp(CLIENT_ID, { authMethod: 'client_secret_basic', clientSecret: CLIENT_SECRET });
    await expectRefused(
      await tokenRequest(await assertion()),
      'Client authentication failed. Either the client or the client credentials are invalid.',
    );
  });

  it('takes an assertion at /revoke whose aud is the revoke endpoint', async () => {
    const revoke = (aud: string) =>
      assertion({ claims: { aud } }).then((signed) =>
        postForm(
          okta,
          '/oauth2/v1/revoke',
          {
            token: 'unknown-token',
            client_id: CLIENT_ID,
            client_assertion_type: ASSERTION_TYPE,
            client_assertion: signed,
          },
          null,
        ),
      );
    expect((await revoke(`${okta.origin}/oauth2/v1/revoke`)).status).toBe(200);
    expect((await revoke(tokenUrl())).status).toBe(401);
  });
});
