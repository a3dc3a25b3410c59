/**
 * Client authentication at /token, /revoke and /introspect: `client_secret_basic` or
 * `client_secret_post`, whichever the client sends, with Okta's error texts.
 */
import type { App } from './model.ts';
import type { PeerState } from './state.ts';

type ClientAuthResult =
  | { ok: true; app: App }
  | { ok: false; status: number; error: string; description: string };

const fail = (status: number, error: string, description: string): ClientAuthResult => ({
  ok: false,
  status,
  error,
  description,
});

/** Basic credentials are form-urlencoded before base64 (RFC 6749 §2.3.1), as openid-client does. */
function decodeBasic(header: string): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
    return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

export function authenticateClient(
  state: PeerState,
  authorization: string | undefined,
  form: URLSearchParams,
): ClientAuthResult {
  const postedId = form.get('client_id');
  const postedSecret = form.get('client_secret');
  let id: string;
  let secret: string | null;
  if (authorization !== undefined) {
    if (postedSecret !== null) {
      return fail(
        401,
        'invalid_request',
        'Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.',
      );
    }
    const basic = decodeBasic(authorization);
    if (!basic) {
      return fail(
        401,
        'invalid_client',
        'Found Authentication header but was not valid client credentials.',
      );
    }
    ({ id, secret } = basic);
  } else {
    if (postedId === null) return fail(401, 'invalid_client', 'No client credentials found.');
    id = postedId;
    secret = postedSecret;
  }
  const app = state.apps.get(id);
  if (!app) return fail(401, 'invalid_client', "Invalid value for 'client_id' parameter.");
  if (secret === null) {
    return fail(
      401,
      'invalid_client',
      'Client authentication failed. Either the client or the client credentials are invalid.',
    );
  }
  if (secret !== app.clientSecret) {
    return fail(
      401,
      'invalid_client',
      'The client secret supplied for a confidential client is invalid.',
    );
  }
  return { ok: true, app };
}
