import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { ClientCredential } from '../clientCredential.ts';
import { mapOktaError } from './mapOktaError.ts';
import type { OktaOrgs } from './oktaOrgs.ts';

/**
 * Checks of an Okta app before the admin is sent to sign in (research §12). Each answers
 * `unchecked` for anything it cannot read with certainty: a check that cannot be made
 * never stops the admin, only a clear "wrong" does.
 */
export type CredentialsCheck = 'accepted' | 'refused' | 'unchecked';
export type RedirectCheck = 'registered' | 'unregistered' | 'client_unknown' | 'unchecked';

export interface AppToCheck {
  domain: string;
  clientId: string;
  redirectUri: string;
}

/** The admin is waiting on the page: a check Okta does not answer in 5 s is left unchecked. */
const CHECK_TIMEOUT_SECONDS = 5;
/** Okta's error pages are a few kB; more than this is not one of them. */
const PAGE_LIMIT = 64 * 1024;

/**
 * The token endpoint with the app's credential (a secret or a key pair) and a code that
 * cannot exist. Okta authenticates the client before it looks at the code (RFC 6749
 * §5.2): `invalid_client` means the credential is wrong — for a key pair, that Okta does
 * not have its public key — and `invalid_grant` (or `unauthorized_client`, the grant type
 * not allowed) means Okta accepted it. Nothing is created at Okta. The one credential
 * check: the setup page runs it before the sign-in, a key rotation before it switches.
 */
export async function checkClientCredentials(
  orgs: OktaOrgs,
  app: AppToCheck & { credential: ClientCredential },
): Promise<CredentialsCheck> {
  try {
    const config = await orgs.configuration(app.domain, app.clientId, app.credential);
    config.timeout = CHECK_TIMEOUT_SECONDS;
    await client.genericGrantRequest(config, 'authorization_code', {
      code: `okta-connect-check-${randomBytes(16).toString('base64url')}`,
      redirect_uri: app.redirectUri,
    });
    // A token for a made-up code: not an Okta org the bot can judge.
    return 'unchecked';
  } catch (error) {
    const mapped = mapOktaError(error);
    if (mapped.code === 'invalid_client') return 'refused';
    if (mapped.code === 'invalid_grant' || mapped.code === 'unauthorized_client') return 'accepted';
    return 'unchecked';
  }
}

/**
 * `/oauth2/v1/authorize` with `prompt=none` and the bot's redirect URI, without following
 * the answer. Okta redirects only to a registered redirect URI (with `login_required`
 * when there is no session) and shows an error page for an unregistered one or an
 * unknown client (RFC 6749 §4.1.2.1).
 */
export async function checkRedirectUri(orgs: OktaOrgs, app: AppToCheck): Promise<RedirectCheck> {
  let response: Response;
  try {
    const metadata = await orgs.discovery(app.domain);
    if (!metadata.authorization_endpoint) return 'unchecked';
    const url = new URL(metadata.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      response_type: 'code',
      scope: 'openid',
      state: randomBytes(16).toString('base64url'),
      prompt: 'none',
    }).toString();
    response = await fetch(url, {
      redirect: 'manual',
      headers: { accept: 'text/html' },
      signal: AbortSignal.timeout(CHECK_TIMEOUT_SECONDS * 1000),
    });
  } catch {
    return 'unchecked';
  }
  orgs.observe(app.domain, response);
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (location === null) return 'unchecked';
    return sameEndpoint(location, response.url, app.redirectUri) ? 'registered' : 'unchecked';
  }
  if (response.status !== 400) {
    await response.body?.cancel();
    return 'unchecked';
  }
  const page = (await readLimited(response)).toLowerCase();
  if (page.includes('invalid_client') || page.includes("'client_id'")) return 'client_unknown';
  if (page.includes('redirect_uri')) return 'unregistered';
  return 'unchecked';
}

/** Whether a redirect goes to the redirect URI (its query carries Okta's answer). */
function sameEndpoint(location: string, base: string, redirectUri: string): boolean {
  try {
    const target = new URL(location, base);
    const expected = new URL(redirectUri);
    return target.origin === expected.origin && target.pathname === expected.pathname;
  } catch {
    return false;
  }
}

async function readLimited(response: Response): Promise<string> {
  try {
    const text = await response.text();
    return text.slice(0, PAGE_LIMIT);
  } catch {
    return '';
  }
}
