/**
 * Client authentication at /token, /revoke and /introspect, with Okta's error texts: an
 * app with a secret takes `client_secret_basic` or `client_secret_post`, whichever the
 * client sends; an app with public keys takes only `private_key_jwt`. Like Okta, each
 * refuses the other kind.
 */
import { ASSERTION_TYPE, checkClientAssertion } from './clientAssertion.ts';
import type { PeerCore } from './core.ts';
import type { App } from './model.ts';

type ClientAuthResult =
  | { ok: true; app: App }
  | { ok: false; status: number; error: string; description: string };

const MULTIPLE =
  'Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.';
const UNKNOWN_CLIENT = "Invalid value for 'client_id' parameter.";

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

const WRONG_KIND =
  'Client authentication failed. Either the client or the client credentials are invalid.';

/** `endpoint`: the path invoked, e.g. `/oauth2/v1/token`; an assertion's `aud` must be its full URL. */
export function authenticateClient(
  core: PeerCore,
  authorization: string | undefined,
  form: URLSearchParams,
  endpoint: string,
): ClientAuthResult {
  const postedId = form.get('client_id');
  const postedSecret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  const assertionType = form.get('client_assertion_type');
  if (assertion !== null || assertionType !== null) {
    if (authorization !== undefined || postedSecret !== null)
      return fail(401, 'invalid_request', MULTIPLE);
    return authenticateAssertion(core, postedId, assertionType, assertion, endpoint);
  }
  let id: string;
  let secret: string | null;
  if (authorization !== undefined) {
    if (postedSecret !== null) {
      return fail(401, 'invalid_request', MULTIPLE);
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
  const app = core.state.apps.get(id);
  if (!app) return fail(401, 'invalid_client', UNKNOWN_CLIENT);
  if (app.authMethod === 'private_key_jwt') return fail(401, 'invalid_client', WRONG_KIND);
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

function authenticateAssertion(
  core: PeerCore,
  postedId: string | null,
  assertionType: string | null,
  assertion: string | null,
  endpoint: string,
): ClientAuthResult {
  if (assertionType !== ASSERTION_TYPE) {
    return fail(401, 'invalid_client', 'The client_assertion_type is invalid.');
  }
  if (!assertion) return fail(401, 'invalid_client', 'The client_assertion is not a valid JWT.');
  // The client is named by the form's client_id or, without one, the assertion's `sub`.
  const app = core.state.apps.get(postedId ?? subjectOf(assertion) ?? '');
  if (!app) return fail(401, 'invalid_client', UNKNOWN_CLIENT);
  if (app.authMethod !== 'private_key_jwt') return fail(401, 'invalid_client', WRONG_KIND);
  const checked = checkClientAssertion(
    app,
    assertion,
    `${core.issuer}${endpoint}`,
    core.clock.now(),
    core.state.usedAssertionIds,
  );
  return checked.ok ? { ok: true, app } : fail(401, 'invalid_client', checked.description);
}

function subjectOf(assertion: string): string | undefined {
  try {
    const claims: unknown = JSON.parse(
      Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8'),
    );
    const sub = (claims as { sub?: unknown } | null)?.sub;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}
