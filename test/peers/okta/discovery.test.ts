import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OktaPeer } from './index.ts';
import { CLIENT_ID, codeFlow, readJson, startOrg } from './testkit.ts';

interface Metadata {
  scopes_supported: string[];
  response_types_supported: string[];
  grant_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
}

describe('Okta peer discovery and keys', () => {
  let okta: OktaPeer;
  let userId: string;

  beforeEach(async () => {
    ({ okta, userId } = await startOrg());
  });
  afterEach(() => okta.close());

  it('serves OpenID configuration whose issuer is the org origin without a path', async () => {
    const response = await fetch(`${okta.origin}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const metadata = await readJson<Metadata>(response);
    expect(okta.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(okta.issuer).toBe(okta.origin);
    expect(metadata).toMatchObject({
      issuer: okta.origin,
      authorization_endpoint: `${okta.origin}/oauth2/v1/authorize`,
      token_endpoint: `${okta.origin}/oauth2/v1/token`,
      jwks_uri: `${okta.origin}/oauth2/v1/keys`,
      revocation_endpoint: `${okta.origin}/oauth2/v1/revoke`,
      introspection_endpoint: `${okta.origin}/oauth2/v1/introspect`,
      userinfo_endpoint: `${okta.origin}/oauth2/v1/userinfo`,
      end_session_endpoint: `${okta.origin}/oauth2/v1/logout`,
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
    });
    expect(metadata.response_types_supported).toContain('code');
    expect(metadata.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token']),
    );
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['client_secret_basic', 'client_secret_post']),
    );
  });

  it('names another issuer on request, keeping the org’s endpoints, until set back', async () => {
    okta.announceIssuer('https://acme.okta.com/oauth2/default');
    const other = await readJson<{ issuer: string; token_endpoint: string }>(
      await fetch(`${okta.origin}/.well-known/openid-configuration`),
    );
    expect(other.issuer).toBe('https://acme.okta.com/oauth2/default');
    expect(other.token_endpoint).toBe(`${okta.origin}/oauth2/v1/token`);
    okta.announceIssuer(null);
    const own = await readJson<{ issuer: string }>(
      await fetch(`${okta.origin}/.well-known/openid-configuration`),
    );
    expect(own.issuer).toBe(okta.origin);
  });

  it('advertises the OIDC scopes but none of the okta.* scopes, like the org authorization server', async () => {
    const metadata = await readJson<Metadata>(
      await fetch(`${okta.origin}/.well-known/openid-configuration`),
    );
    expect([...metadata.scopes_supported].sort()).toEqual([
      'address',
      'email',
      'groups',
      'offline_access',
      'openid',
      'phone',
      'profile',
    ]);
  });

  it('serves the same document as OAuth authorization server metadata', async () => {
    const oidc = await (await fetch(`${okta.origin}/.well-known/openid-configuration`)).json();
    const oauth = await (
      await fetch(`${okta.origin}/.well-known/oauth-authorization-server`)
    ).json();
    expect(oauth).toEqual(oidc);
  });

  it('publishes an RS256 JWKS that verifies the ID tokens it issues', async () => {
    const jwks = await readJson<JSONWebKeySet>(await fetch(`${okta.origin}/oauth2/v1/keys`));
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({
      kty: 'RSA',
      alg: 'RS256',
      use: 'sig',
      kid: expect.any(String),
    });
    expect(jwks.keys[0]).not.toHaveProperty('d');

    const { id_token } = await codeFlow(okta, userId);
    const { payload, protectedHeader } = await jwtVerify(id_token ?? '', createLocalJWKSet(jwks), {
      issuer: okta.issuer,
      audience: CLIENT_ID,
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: jwks.keys[0]?.kid });
    expect(payload.sub).toBe(userId);
  });

  it('sends the browser on to post_logout_redirect_uri with its state', async () => {
    const response = await fetch(
      `${okta.origin}/oauth2/v1/logout?post_logout_redirect_uri=${encodeURIComponent('http://127.0.0.1:9/bye')}&state=s1`,
      { redirect: 'manual' },
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://127.0.0.1:9/bye?state=s1');
  });

  it('answers 404 for an unknown path and 405 for a wrong method', async () => {
    const unknown = await fetch(`${okta.origin}/oauth2/v1/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ errorCode: 'E0000007' });
    const wrongMethod = await fetch(`${okta.origin}/oauth2/v1/token`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });
});
