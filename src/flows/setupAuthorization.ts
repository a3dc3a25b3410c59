import * as client from 'openid-client';
import { secretCredential } from '../clientCredential.ts';
import type { AuthRequest } from '../db/authRequestsRepo.ts';
import type { Connection } from '../db/connectionsRepo.ts';
import { isBotError } from '../errors.ts';
import { buildAuthorizeUrl } from '../okta/authorizationCode.ts';
import type { BadAnswer, FailureFacts } from '../views/messages.ts';
import { badAnswerOf } from './badOktaAnswer.ts';
import {
  type AppCheckRefusal,
  checkOktaApp,
  type SetupCheck,
  uncheckedOf,
} from './checkOktaApp.ts';
import { storedCredential } from './clientCredentials.ts';
import type { FlowDeps } from './deps.ts';
import { LINK_TTL_MS } from './deps.ts';

export interface SetupView {
  request: AuthRequest;
  connection: Connection;
  oktaOrigin: string;
}

export type SetupLookup =
  | { ok: true; setup: SetupView }
  | { ok: false; code: 'link_unknown' | 'link_expired' | 'link_used'; facts?: FailureFacts };

/** `GET /connect/:token`: what the setup page shows. Reading never uses the link up. */
export async function loadSetup(deps: FlowDeps, linkToken: string): Promise<SetupLookup> {
  const found = await deps.authRequests.inspectLinkToken(linkToken, deps.now());
  if (!found.ok) {
    // Name the connection, so the page can say which reauth command gets a new link.
    const connection =
      found.code === 'link_unknown'
        ? null
        : await deps.connections.findById(found.request.teamId, found.request.connectionId);
    return connection
      ? {
          ok: false,
          code: found.code,
          facts: { nickname: connection.nickname, domain: connection.domain },
        }
      : { ok: false, code: found.code };
  }
  const connection = await deps.connections.findById(
    found.request.teamId,
    found.request.connectionId,
  );
  if (!connection) return { ok: false, code: 'link_unknown' };
  return {
    ok: true,
    setup: { request: found.request, connection, oktaOrigin: deps.orgs.origin(connection.domain) },
  };
}

/** Why the setup page refused a form post before looking at the secret. */
export type SetupRefusal = 'cross_origin' | 'csrf_mismatch' | 'cookies_blocked';

const FETCH_SITES = new Set(['cross-site', 'same-site', 'same-origin', 'none']);

/**
 * The headers as the audit keeps them: the sender chose them, so only an origin that
 * parses as one and a known Sec-Fetch-Site value are kept word for word (a header shaped
 * like a token would make the audit refuse the whole row).
 */
function whereFrom(origin: string | undefined, fetchSite: string | undefined) {
  let shownOrigin: string | undefined;
  if (origin !== undefined) {
    try {
      shownOrigin = new URL(origin).origin.slice(0, 200);
    } catch {
      shownOrigin = 'not a URL';
    }
  }
  return {
    ...(shownOrigin === undefined ? {} : { origin: shownOrigin }),
    ...(fetchSite === undefined
      ? {}
      : { fetchSite: FETCH_SITES.has(fetchSite) ? fetchSite : 'other' }),
  };
}

/**
 * A refused setup form post is audited against the admin whose link it used, when the
 * link is still open: a post from another site, or without the page's cookie, may be
 * someone else trying that admin's link.
 */
export async function auditSetupRefusal(
  deps: FlowDeps,
  input: { linkToken: string; reason: SetupRefusal; origin?: string; fetchSite?: string },
): Promise<void> {
  const lookup = await loadSetup(deps, input.linkToken);
  if (!lookup.ok) return;
  const { request, connection } = lookup.setup;
  await deps.audit.record({
    teamId: request.teamId,
    connectionId: connection.id,
    actor: request.slackUserId,
    action: 'setup.refused',
    details: { reason: input.reason, ...whereFrom(input.origin, input.fetchSite) },
  });
}

/** Okta client secrets are 40–64 characters of base64url; leave room for other generators. */
const SECRET_PATTERN = /^[\x21-\x7e]{1,200}$/;

export type BeginOutcome =
  | {
      ok: true;
      authorizeUrl: string;
      setup: SetupView;
      /** Checks Okta did not answer: the page says so and lets the admin go on. */
      unchecked: SetupCheck[];
    }
  | {
      ok: false;
      code: 'link_unknown' | 'link_expired' | 'link_used' | 'secret_missing' | 'secret_malformed';
      setup?: SetupView;
    }
  | { ok: false; code: AppCheckRefusal; setup: SetupView }
  | {
      ok: false;
      code:
        | 'okta_unreachable'
        | 'okta_unavailable'
        | 'okta_rate_limited'
        | 'okta_bad_response'
        | 'okta_error';
      setup: SetupView;
      /** For `okta_bad_response`: what was wrong with Okta's discovery document. */
      badAnswer?: BadAnswer;
    };

/**
 * `POST /connect/:token`: checks the secret, builds the authorize URL (which needs Okta's
 * discovery document: if Okta cannot be reached the link stays usable), then uses the
 * link up in the same write that stores the hashed state, the browser binding, the nonce
 * and the sealed PKCE verifier and secret.
 */
export async function beginAuthorization(
  deps: FlowDeps,
  input: { linkToken: string; clientSecret: string; browserBinding: string },
): Promise<BeginOutcome> {
  const lookup = await loadSetup(deps, input.linkToken);
  if (!lookup.ok) return lookup;
  const { setup } = lookup;
  // A key-pair connection authenticates with its own key: there is no secret to take.
  const usesKeys = setup.connection.clientAuthMethod === 'private_key_jwt';
  const secret = usesKeys ? '' : input.clientSecret.trim();
  const reuseStored =
    usesKeys ||
    (secret === '' && setup.request.purpose === 'reauthorize' && setup.connection.hasClientSecret);
  if (secret === '' && !reuseStored) return { ok: false, code: 'secret_missing', setup };
  if (secret !== '' && !SECRET_PATTERN.test(secret))
    return { ok: false, code: 'secret_malformed', setup };

  const state = client.randomState();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  let authorizeUrl: URL;
  try {
    authorizeUrl = await buildAuthorizeUrl(deps.orgs, {
      domain: setup.connection.domain,
      clientId: setup.connection.clientId,
      redirectUri: deps.settings.redirectUri,
      scopes: setup.request.requestedScopes,
      state,
      nonce,
      codeVerifier,
    });
  } catch (error) {
    if (!isBotError(error)) throw error;
    deps.logger.warn(
      { err: error, connectionId: setup.connection.id },
      'Okta discovery failed at setup',
    );
    const code =
      error.code === 'okta_unreachable' ||
      error.code === 'okta_unavailable' ||
      error.code === 'okta_rate_limited' ||
      error.code === 'okta_bad_response'
        ? error.code
        : 'okta_error';
    return {
      ok: false,
      code,
      setup,
      ...(code === 'okta_bad_response' ? { badAnswer: badAnswerOf(error) } : {}),
    };
  }

  // The credential the sign-in will use: the typed secret, or the stored secret or key.
  const credential = reuseStored
    ? await storedCredential(deps, setup.connection)
    : secretCredential(secret);
  const checks = credential
    ? await checkOktaApp(deps, {
        teamId: setup.request.teamId,
        connectionId: setup.connection.id,
        actor: setup.request.slackUserId,
        domain: setup.connection.domain,
        clientId: setup.connection.clientId,
        credential,
      })
    : null;
  // An unknown client ID also fails the credentials: name the cause the admin must fix.
  if (checks?.redirectUri === 'client_unknown') return { ok: false, code: 'client_unknown', setup };
  if (checks?.credentials === 'refused') {
    return { ok: false, code: usesKeys ? 'key_not_accepted' : 'secret_refused', setup };
  }
  if (checks?.redirectUri === 'unregistered') {
    return { ok: false, code: 'redirect_unregistered', setup };
  }

  const now = deps.now();
  const begun = await deps.authRequests.beginAuthorization(
    setup.request.id,
    {
      state,
      browserBinding: input.browserBinding,
      pkceVerifier: codeVerifier,
      nonce,
      ...(reuseStored ? {} : { clientSecret: secret }),
      expiresAt: now + LINK_TTL_MS,
    },
    now,
  );
  if (!begun.ok) {
    const code =
      begun.code === 'not_found'
        ? 'link_unknown'
        : begun.code === 'expired'
          ? 'link_expired'
          : 'link_used';
    return { ok: false, code };
  }
  await deps.audit.record({
    teamId: setup.request.teamId,
    connectionId: setup.connection.id,
    actor: setup.request.slackUserId,
    action: 'authorization.sent_to_okta',
    details: { purpose: setup.request.purpose, enteredNew: !reuseStored },
  });
  return {
    ok: true,
    authorizeUrl: authorizeUrl.href,
    setup,
    unchecked: checks ? uncheckedOf(checks) : ['credentials', 'redirect_uri'],
  };
}
