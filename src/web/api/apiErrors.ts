/**
 * The connection API's error codes and the one sentence each says, for the developer of
 * the tool that called. The code is the contract; the words may improve.
 */
export const API_ERRORS = {
  api_disabled:
    'The connection API is off: no API key exists (create one in Slack with /okta-connect apikey new NAME, or set API_KEY_HASHES).',
  unauthorized: 'Send a valid API key as "Authorization: Bearer <key>".',
  key_expired:
    'This API key has expired: ask a bot admin for a new one (/okta-connect apikey new NAME).',
  key_revoked:
    'This API key was revoked: ask a bot admin for a new one (/okta-connect apikey new NAME).',
  key_not_allowed:
    'This API key may not do this: the connection or the action named in `missing` was not granted to it. A bot admin can make a key that has it.',
  unknown_endpoint: 'No such endpoint in the connection API.',
  bad_request: 'The request’s parameters are not valid.',
  not_found: 'No connection with this nickname is visible to this API key.',
  ambiguous_nickname:
    'Connections with this nickname exist in several Slack teams: add ?team=T… to pick one.',
  needs_reauth:
    'The connection needs reauthorization: a super admin must reauthorize it in Slack (/okta-connect reauth NAME).',
  not_active: 'The connection is not active, so it has no token to use.',
  no_refresh_token:
    'The access token is about to expire and the connection has no refresh token: reauthorize it with the Refresh Token grant type and offline_access.',
  busy: 'Another refresh of this connection is under way: try again in a moment.',
  okta_unavailable: 'Okta could not be reached or answered with a server error: try again later.',
  okta_error: 'Okta gave an unexpected answer while the token was refreshed.',
  okta_refused_token: 'Okta refused the connection’s access token, even freshly refreshed.',
  bad_path:
    'Only Okta Management API paths are forwarded: /api/connections/NAME/okta/api/v1/…, without empty or dot segments and without encoded slashes.',
  body_too_large: 'The request body is larger than the proxy forwards (1 MB).',
  insufficient_scope:
    'Okta refused the call: the connection’s token lacks the scope named. The connection’s channel has been alerted.',
  internal_error: 'okta-connect failed to answer; the error is in its log.',
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

/** What to do about Insufficient Scope, in the words of the alert. */
export const INSUFFICIENT_SCOPE_FIX =
  'Grant it on the app’s Okta API Scopes tab, then reauthorize.';
