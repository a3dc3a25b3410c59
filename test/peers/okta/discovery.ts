/**
 * Discovery documents and the JWKS. The metadata follows Okta's `OrgASOidcMetadata`:
 * okta.* scopes are not advertised, only S256 for PKCE, only RS256 for ID tokens.
 */
import type { PeerCore } from './core.ts';
import { type Exchange, sendJson } from './http.ts';
import { SERVER_GRANT_TYPES } from './token.ts';

const AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
  'none',
];

function discoveryDocument(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth2/v1/authorize`,
    token_endpoint: `${issuer}/oauth2/v1/token`,
    userinfo_endpoint: `${issuer}/oauth2/v1/userinfo`,
    registration_endpoint: `${issuer}/oauth2/v1/clients`,
    jwks_uri: `${issuer}/oauth2/v1/keys`,
    response_types_supported: [
      'code',
      'id_token',
      'code id_token',
      'code token',
      'id_token token',
      'code id_token token',
    ],
    response_modes_supported: ['query', 'fragment', 'form_post', 'okta_post_message'],
    grant_types_supported: SERVER_GRANT_TYPES,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: [
      'openid',
      'email',
      'profile',
      'address',
      'phone',
      'offline_access',
      'groups',
    ],
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    claims_supported: [
      'iss',
      'ver',
      'sub',
      'aud',
      'iat',
      'exp',
      'jti',
      'auth_time',
      'amr',
      'idp',
      'nonce',
      'name',
      'nickname',
      'preferred_username',
      'given_name',
      'middle_name',
      'family_name',
      'email',
      'email_verified',
      'profile',
      'zoneinfo',
      'locale',
      'address',
      'phone_number',
      'picture',
      'website',
      'gender',
      'birthdate',
      'updated_at',
      'at_hash',
      'c_hash',
    ],
    code_challenge_methods_supported: ['S256'],
    introspection_endpoint: `${issuer}/oauth2/v1/introspect`,
    introspection_endpoint_auth_methods_supported: AUTH_METHODS,
    revocation_endpoint: `${issuer}/oauth2/v1/revoke`,
    revocation_endpoint_auth_methods_supported: AUTH_METHODS,
    end_session_endpoint: `${issuer}/oauth2/v1/logout`,
    request_parameter_supported: true,
    request_object_signing_alg_values_supported: [
      'HS256',
      'HS384',
      'HS512',
      'RS256',
      'RS384',
      'RS512',
      'ES256',
      'ES384',
      'ES512',
    ],
  };
}

export function handleDiscovery(core: PeerCore, { res }: Exchange): void {
  // A discovery document naming another issuer (a custom authorization server, another
  // org behind a proxy) keeps the org's own endpoints: only the `issuer` is wrong.
  const document = discoveryDocument(core.issuer);
  const issuer = core.state.announcedIssuer ?? core.issuer;
  sendJson(
    res,
    200,
    { ...document, issuer },
    {
      'cache-control': 'max-age=86400, must-revalidate',
    },
  );
}

export function handleKeys(core: PeerCore, { res }: Exchange): void {
  sendJson(res, 200, core.keys.jwks, { 'cache-control': 'max-age=3832, must-revalidate' });
}
