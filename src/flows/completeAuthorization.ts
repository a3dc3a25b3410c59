import { z } from 'zod';
import { type ClientCredential, secretCredential } from '../clientCredential.ts';
import { type AuthRequest, isSameBrowser } from '../db/authRequestsRepo.ts';
import type { Connection } from '../db/connectionsRepo.ts';
import { type BotError, isBotError } from '../errors.ts';
import { exchangeCode, type GrantedTokens, revokeTokens } from '../okta/authorizationCode.ts';
import { listUserRoleTypes } from '../okta/managementApi.ts';
import { OIDC_NAMES } from '../okta/parseScopeList.ts';
import { isKnownScope } from '../okta/scopeCatalog.ts';
import type { FailureCode, FailureFacts, WarningCode } from '../views/messages.ts';
import { badAnswerOf } from './badOktaAnswer.ts';
import { storedCredential } from './clientCredentials.ts';
import { type FlowDeps, LINK_TTL_MS, setupLinkUrl } from './deps.ts';
import { type ReauthStart, startReauthorization } from './startReauthorization.ts';

/** Okta's words are shown to the admin; longer ones are cut, not refused. */
const shortened = (max: number) =>
  z.preprocess(
    (text) => (typeof text === 'string' ? text.slice(0, max) : text),
    z.string().optional(),
  );

/**
 * The callback's query, as Okta sends it (RFC 6749 §4.1.2). An overlong error text is
 * cut rather than refused: refusing it would drop the state too, and the sign-in it
 * belongs to would be reported as "not started by the bot" and left pending.
 */
const callbackQuery = z.object({
  state: z.string().min(1).max(512).optional(),
  code: z.string().min(1).max(2048).optional(),
  error: shortened(200),
  error_description: shortened(2000),
});

/**
 * A warning about a connection that works. Dropped scopes are not one of them here: they
 * are the outcome's `dropped` list, one fact in one place, which every view words as the
 * `scopes_dropped` warning.
 */
export interface Warning {
  code: Exclude<WarningCode, 'scopes_dropped'>;
}

export type CallbackOutcome =
  | {
      ok: true;
      purpose: 'create' | 'reauthorize';
      connection: Connection;
      slackUserId: string;
      granted: string[];
      dropped: string[];
      warnings: Warning[];
    }
  | {
      ok: false;
      code: FailureCode;
      facts: FailureFacts;
      /** Set once the request is known: whom to tell. */
      slackUserId?: string;
      connection?: Connection;
      purpose?: 'create' | 'reauthorize';
      /** A fresh setup link when trying again makes sense (wrong secret, Okta down). */
      retryUrl?: string;
      /** Whether a person's attempt should be audited as suspicious. */
      suspicious?: boolean;
    };

/** Okta's words for an unassigned user, the only way to tell it from a cancelled sign-in. */
const NOT_ASSIGNED = /not assigned/i;

/**
 * `GET /oauth/okta/callback` (design §5). The state is looked at first and consumed only
 * once the browser is known to be the one that posted the setup form; then the code is
 * exchanged, the grant compared with the request, and the tokens stored. Every failure
 * leaves the connection in a state that says where it stands.
 */
export async function completeAuthorization(
  deps: FlowDeps,
  input: {
    query: Record<string, string | undefined>;
    callbackUrl: URL;
    browserBinding: string | undefined;
  },
): Promise<CallbackOutcome> {
  const parsed = callbackQuery.safeParse(input.query);
  const query = parsed.success ? parsed.data : {};
  if (!query.state)
    return { ok: false, code: 'state_missing', facts: {}, suspicious: !!query.code };

  const now = deps.now();
  const seen = await deps.authRequests.inspectState(query.state, now);
  if (!seen.ok) return stateProblem(deps, seen.code, seen.request);
  const request = seen.request;
  const connection = await deps.connections.findById(request.teamId, request.connectionId);
  const about = { slackUserId: request.slackUserId, purpose: request.purpose };
  if (!connection) return { ok: false, code: 'connection_gone', facts: {}, ...about };
  const facts = { nickname: connection.nickname, domain: connection.domain };
  if (!isSameBrowser(request, input.browserBinding)) {
    return { ok: false, code: 'browser_mismatch', facts, ...about, connection, suspicious: true };
  }
  const consumed = await deps.authRequests.consumeByState(query.state, now);
  if (!consumed) return { ok: false, code: 'state_used', facts, ...about, connection };

  const fail = async (
    code: FailureCode,
    extra: FailureFacts = {},
    retry = false,
  ): Promise<CallbackOutcome> => {
    await deps.authRequests.recordOutcome(request.id, code);
    const failed =
      request.purpose === 'create' && !retry
        ? await markCreateFailed(deps, connection, code, extra)
        : connection;
    return {
      ok: false,
      code,
      facts: { ...facts, ...extra },
      ...about,
      connection: failed,
      ...(retry ? { retryUrl: await freshLink(deps, request, connection) } : {}),
    };
  };

  if (query.error) {
    const description = query.error_description;
    if (query.error === 'access_denied') {
      return fail(
        description && NOT_ASSIGNED.test(description) ? 'user_not_assigned' : 'cancelled',
      );
    }
    if (query.error === 'invalid_scope')
      return fail('invalid_scope', { scope: scopeNamedIn(description, request) });
    if (query.error === 'consent_required') return fail('consent_required');
    return fail('okta_error', { description: description ?? query.error });
  }
  if (!query.code) return fail('okta_bad_response');

  const secrets = await deps.authRequests.openSecrets(request.id, ['pkceVerifier', 'clientSecret']);
  // The stored credential is opened only when this attempt did not bring a new secret;
  // a key-pair connection's key stays on the connection through reauthorizations.
  const credential = secrets?.clientSecret
    ? secretCredential(secrets.clientSecret)
    : await storedCredential(deps, connection);
  const codeVerifier = secrets?.pkceVerifier ?? null;
  if (!credential || !codeVerifier || !request.nonce) return fail('state_expired');

  let tokens: GrantedTokens;
  try {
    tokens = await exchangeCode(deps.orgs, {
      domain: connection.domain,
      clientId: connection.clientId,
      credential,
      callbackUrl: input.callbackUrl,
      codeVerifier,
      state: query.state,
      nonce: request.nonce,
      requestedScopes: request.requestedScopes,
      now: deps.now(),
    });
  } catch (error) {
    if (!isBotError(error)) throw error;
    deps.logger.warn({ err: error, connectionId: connection.id }, 'code exchange failed');
    return exchangeFailure(error, credential.method, fail);
  }

  const granted = tokens.grantedScopes;
  const dropped = request.requestedScopes.filter(
    (scope) => !OIDC_NAMES.has(scope) && !granted.includes(scope),
  );
  const warnings: Warning[] = [];
  if (!tokens.refreshToken) warnings.push({ code: 'no_refresh_token' });
  warnings.push(...(await checkSuperAdmin(deps, connection.domain, tokens)));

  const activated = await deps.connections.markActive(connection.id, {
    grantedScopes: granted,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    accessExpiresAt: tokens.accessExpiresAt,
    authorizedSub: tokens.sub,
    authorizedLogin: tokens.login,
    authorizedBy: request.slackUserId,
    ...(secrets?.clientSecret ? { clientSecret: secrets.clientSecret } : {}),
    scopes: { scopeMode: request.scopeMode, requestedScopes: request.requestedScopes },
    attention: stillMissing(connection, granted),
  });
  if (!activated.ok) {
    // The connection was deleted while the admin was at Okta: these tokens are not
    // stored, so they are revoked at once rather than left valid at Okta.
    await revokeQuietly(deps, connection, credential, tokens);
    await deps.authRequests.recordOutcome(request.id, 'conflict');
    return {
      ok: false,
      code: activated.code === 'not_found' ? 'connection_gone' : 'reauth_conflict',
      facts,
      ...about,
      connection,
    };
  }
  await deps.authRequests.recordOutcome(request.id, 'authorized');
  await deps.audit.record({
    teamId: request.teamId,
    connectionId: connection.id,
    actor: request.slackUserId,
    action: request.purpose === 'create' ? 'connection.authorized' : 'connection.reauthorized',
    details: { granted: granted.length, dropped: dropped.length, oktaLogin: tokens.login ?? '' },
  });
  return { ok: true, ...about, connection: activated.connection, granted, dropped, warnings };
}

/**
 * A scope that Okta refused (Insufficient Scope) stays marked until a reauthorization
 * actually brings it: signing in again without it fixes nothing.
 */
function stillMissing(connection: Connection, granted: readonly string[]): Connection['attention'] {
  const attention = connection.attention;
  if (!attention?.scope) return null;
  const missing = attention.scope.split(' ').filter((scope) => scope && !granted.includes(scope));
  if (missing.length === 0) return null;
  return { ...attention, scope: missing.join(' ') };
}

async function stateProblem(
  deps: FlowDeps,
  code: 'state_unknown' | 'state_used' | 'state_expired',
  request: AuthRequest | undefined,
): Promise<CallbackOutcome> {
  if (!request) return { ok: false, code, facts: {}, suspicious: code === 'state_unknown' };
  const connection =
    (await deps.connections.findById(request.teamId, request.connectionId)) ?? undefined;
  return {
    ok: false,
    code,
    facts: connection ? { nickname: connection.nickname, domain: connection.domain } : {},
    slackUserId: request.slackUserId,
    purpose: request.purpose,
    ...(connection ? { connection } : {}),
  };
}

function exchangeFailure(
  error: BotError,
  method: ClientCredential['method'],
  fail: (code: FailureCode, extra?: FailureFacts, retry?: boolean) => Promise<CallbackOutcome>,
) {
  switch (error.code) {
    case 'invalid_client':
      return fail(method === 'private_key_jwt' ? 'key_refused' : 'invalid_client', {}, true);
    case 'okta_unreachable':
    case 'okta_unavailable':
    case 'okta_rate_limited':
      return fail(error.code, {}, true);
    case 'unauthorized_client':
    case 'invalid_grant':
      return fail(error.code);
    case 'okta_bad_response':
      return fail(error.code, { badAnswer: badAnswerOf(error) });
    case 'invalid_scope':
      return fail('invalid_scope');
    case 'consent_required':
      return fail('consent_required');
    default:
      return fail('okta_error', { description: String(error.details.description ?? error.code) });
  }
}

/** A failed first authorization leaves a `failed` connection whose reason says why. */
async function markCreateFailed(
  deps: FlowDeps,
  connection: Connection,
  code: FailureCode,
  facts: FailureFacts,
): Promise<Connection> {
  const text = facts.scope ? `Okta refused ${facts.scope}` : null;
  const result = await deps.connections.markFailed(connection.id, code, text);
  return result.ok ? result.connection : connection;
}

/**
 * Trying again after a wrong secret or an Okta outage needs a new single-use link: the
 * old state is spent. Made for the same admin, with the same scopes.
 */
async function freshLink(
  deps: FlowDeps,
  request: AuthRequest,
  connection: Connection,
): Promise<string | undefined> {
  let started: ReauthStart | undefined;
  if (request.purpose === 'reauthorize') {
    started = await startReauthorization(deps, {
      teamId: request.teamId,
      actor: request.slackUserId,
      connectionId: connection.id,
      scopes: { scopeMode: request.scopeMode, requestedScopes: request.requestedScopes },
    });
    return started.ok ? started.link.url : undefined;
  }
  const retry = await deps.authRequests.create({
    connectionId: connection.id,
    teamId: request.teamId,
    purpose: 'create',
    scopeMode: request.scopeMode,
    connectionVersion: connection.version,
    requestedScopes: request.requestedScopes,
    slackUserId: request.slackUserId,
    expiresAt: deps.now() + LINK_TTL_MS,
  });
  return setupLinkUrl(deps.settings, retry.linkToken);
}

/**
 * Okta's invalid_scope description does not name the scope ("The requested scope is
 * invalid, unknown, or malformed."); when it does not, name the one requested scope that
 * is outside the bot's catalog, which is the one Okta does not know.
 */
function scopeNamedIn(description: string | undefined, request: AuthRequest): string | undefined {
  const named = request.requestedScopes.find((scope) => description?.includes(scope));
  if (named) return named;
  const unknown = request.requestedScopes.filter((scope) => !isKnownScope(scope));
  return unknown.length === 1 ? unknown[0] : undefined;
}

async function checkSuperAdmin(
  deps: FlowDeps,
  domain: string,
  tokens: GrantedTokens,
): Promise<Warning[]> {
  if (!tokens.grantedScopes.includes('okta.roles.read') || !tokens.sub)
    return [{ code: 'roles_unchecked' }];
  try {
    const roles = await listUserRoleTypes(deps.orgs, domain, tokens.accessToken, tokens.sub);
    // Okta refuses admin-only calls with E0000006 to an account that has no admin role
    // at all: that answer is itself proof the account is not a super admin.
    if (!roles.ok && roles.code === 'forbidden_by_role') return [{ code: 'not_super_admin' }];
    if (!roles.ok) return [{ code: 'roles_unchecked' }];
    return roles.types.includes('SUPER_ADMIN') ? [] : [{ code: 'not_super_admin' }];
  } catch (error) {
    deps.logger.warn({ err: error }, 'could not read the signer’s Okta roles');
    return [{ code: 'roles_unchecked' }];
  }
}

async function revokeQuietly(
  deps: FlowDeps,
  connection: Connection,
  credential: ClientCredential,
  tokens: GrantedTokens,
) {
  const { error } = await revokeTokens(deps.orgs, {
    domain: connection.domain,
    clientId: connection.clientId,
    credential,
    refreshToken: tokens.refreshToken,
    accessToken: tokens.accessToken,
  });
  if (error) {
    deps.logger.warn({ err: error, connectionId: connection.id }, 'could not revoke unused tokens');
  }
}
