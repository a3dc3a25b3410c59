import type { Connection } from '../db/connectionsRepo.ts';
import { type BotError, isBotError } from '../errors.ts';
import { probeFor } from '../okta/familyProbes.ts';
import { oktaGet } from '../okta/managementApi.ts';
import { scopeFamily } from '../okta/scopeCatalog.ts';
import { fetchUserinfo } from '../okta/userinfo.ts';
import type { AlertChannel } from './alerts.ts';
import type { FlowDeps } from './deps.ts';
import { freshAccessToken, type TokenProblem } from './freshAccessToken.ts';
import { processLeaseOwner } from './leaseOwners.ts';
import { mapLimited } from './mapLimited.ts';
import { noteInsufficientScope } from './noteInsufficientScope.ts';
import { describeFailure } from './refreshConnection.ts';

/**
 * Calls run a few at a time: a test is one admin's click, and must not take a burst of
 * the org's rate limit away from the Workflows and scripts that share it.
 */
const PROBE_CONCURRENCY = 4;

export type CallResult =
  | { kind: 'ok' }
  | { kind: 'insufficient_scope'; scope: string }
  | { kind: 'forbidden_by_role'; errorCode: string }
  | { kind: 'rate_limited'; resetAt: number | null }
  | { kind: 'invalid_token' }
  | { kind: 'not_found' }
  | { kind: 'failed'; reason: string };

export interface CallReport {
  /** `userinfo`, or the resource family probed. */
  target: string;
  /** What was called: `/oauth2/v1/userinfo` or a Management API path (never a secret). */
  path: string;
  /** false for the family of a requested scope that Okta did not grant. */
  granted: boolean;
  result: CallResult;
}

export type TestOutcome =
  | {
      /** The test ran; each call says how it went. */
      ok: true;
      /** As it is after the test (with its attention mark, if one was set). */
      connection: Connection;
      /** Who the token acts for: userinfo's name for them, else the login at authorization. */
      login: string | null;
      calls: CallReport[];
      /** Families of the connection's scopes that have no safe read to try. */
      notProbed: string[];
      /** Requested API scopes that Okta did not grant. */
      dropped: string[];
      /** Scopes Okta answered Insufficient Scope for; the connection is marked with them. */
      missingScopes: string[];
    }
  | { ok: false; code: 'not_found' }
  | { ok: false; code: 'not_active'; connection: Connection }
  | { ok: false; code: 'needs_reauth'; connection: Connection }
  | { ok: false; code: 'token_unavailable'; connection: Connection; reason: string };

const USERINFO = '/oauth2/v1/userinfo';

/**
 * `/okta-connect test NAME` and the *Test* button (design §5): with the connection's
 * token (refreshed first when due), `userinfo`, then one read per resource family of its
 * scopes. Families of requested scopes that Okta dropped are called too: Okta answers
 * them with Insufficient Scope naming the scope, which is exactly what a workflow using
 * the connection would meet. Insufficient Scope leaves the connection `active` (what was
 * granted still works) but marks it and raises the channel alert; only a reauthorization
 * clears the mark.
 */
export async function testConnection(
  deps: FlowDeps,
  alerts: AlertChannel,
  input: { teamId: string; connectionId: string; actor: string },
): Promise<TestOutcome> {
  const found = await deps.connections.findById(input.teamId, input.connectionId);
  if (!found) return { ok: false, code: 'not_found' };
  if (found.status !== 'active') return { ok: false, code: 'not_active', connection: found };
  // In the `host:pid:random` form, so a bot stopped mid-refresh frees the lease at start-up.
  const owner = processLeaseOwner();

  let access = await freshAccessToken(deps, alerts, found, { owner });
  if (!access.ok) return tokenProblem(access, found);
  let userinfo = await callUserinfo(deps, access.connection, access.accessToken);
  if (userinfo.report.result.kind === 'invalid_token') {
    // Okta refused a token the bot thought valid (revoked at Okta): one forced refresh
    // tells a revoked grant (needs reauthorization) from a revoked access token.
    access = await freshAccessToken(deps, alerts, found, { owner, refused: access.accessToken });
    if (!access.ok) return tokenProblem(access, found);
    userinfo = await callUserinfo(deps, access.connection, access.accessToken);
  }
  const { connection, accessToken } = access;
  const calls: CallReport[] = [userinfo.report];
  const plan = probePlan(connection, userinfo.sub ?? connection.authorizedSub);
  if (userinfo.report.result.kind !== 'invalid_token') {
    const reports = await mapLimited(plan.probes, PROBE_CONCURRENCY, async (probe) => ({
      target: probe.family,
      path: probe.path,
      granted: probe.granted,
      result: await callManagementApi(deps, connection.domain, accessToken, probe),
    }));
    calls.push(...reports);
  }

  const missingScopes = [
    ...new Set(
      calls.flatMap((call) =>
        call.result.kind === 'insufficient_scope' ? [call.result.scope] : [],
      ),
    ),
  ];
  const marked =
    missingScopes.length > 0
      ? await noteInsufficientScope(deps, alerts, connection, missingScopes.join(' '))
      : connection;
  await deps.audit.record({
    teamId: connection.teamId,
    connectionId: connection.id,
    actor: input.actor,
    action: 'connection.tested',
    details: {
      calls: calls.length,
      ok: calls.filter((call) => call.result.kind === 'ok').length,
      insufficientScope: missingScopes.join(' '),
      forbidden: calls.filter((call) => call.result.kind === 'forbidden_by_role').length,
    },
  });
  return {
    ok: true,
    connection: marked,
    login: userinfo.login ?? marked.authorizedLogin,
    calls,
    notProbed: plan.notProbed,
    dropped: plan.dropped,
    missingScopes,
  };
}

/** Why the test could not get a token to test with. */
function tokenProblem(problem: TokenProblem, connection: Connection): TestOutcome {
  switch (problem.code) {
    case 'gone':
      return { ok: false, code: 'not_found' };
    case 'needs_reauth':
      return { ok: false, code: 'needs_reauth', connection: problem.connection };
    case 'not_active':
      return { ok: false, code: 'not_active', connection: problem.connection };
    case 'no_refresh_token':
      return {
        ok: false,
        code: 'token_unavailable',
        connection: problem.connection,
        reason:
          'Its access token is about to expire and Okta gave it no refresh token to get another.',
      };
    case 'busy':
      return {
        ok: false,
        code: 'token_unavailable',
        connection,
        reason: 'Its token is being refreshed by another part of the bot right now.',
      };
    case 'okta_unavailable':
    case 'okta_error':
      return {
        ok: false,
        code: 'token_unavailable',
        connection,
        reason: `Its access token needed a refresh, which failed: ${describeFailure(problem.error)}.`,
      };
  }
}

async function callUserinfo(
  deps: FlowDeps,
  connection: Connection,
  accessToken: string,
): Promise<{ report: CallReport; sub: string | null; login: string | null }> {
  const report = (result: CallResult): CallReport => ({
    target: 'userinfo',
    path: USERINFO,
    granted: true,
    result,
  });
  try {
    const answer = await fetchUserinfo(deps.orgs, connection.domain, accessToken);
    if (answer.ok) {
      await deps.connections.recordCheck(connection.id);
      return { report: report({ kind: 'ok' }), sub: answer.sub, login: answer.login };
    }
    const result: CallResult =
      answer.code === 'invalid_token'
        ? { kind: 'invalid_token' }
        : answer.code === 'insufficient_scope'
          ? { kind: 'insufficient_scope', scope: answer.scope ?? 'openid' }
          : { kind: 'failed', reason: `Okta answered HTTP ${answer.status}` };
    return { report: report(result), sub: null, login: null };
  } catch (error) {
    if (!isBotError(error)) throw error;
    await deps.connections.recordFailure(connection.id, describeFailure(error));
    return { report: report(outageResult(error)), sub: null, login: null };
  }
}

async function callManagementApi(
  deps: FlowDeps,
  domain: string,
  accessToken: string,
  { path, scope }: PlannedProbe,
): Promise<CallResult> {
  try {
    const answer = await oktaGet(deps.orgs, domain, accessToken, path);
    if (answer.ok) return { kind: 'ok' };
    switch (answer.code) {
      case 'insufficient_scope':
        return { kind: 'insufficient_scope', scope: answer.scope ?? scope };
      case 'forbidden_by_role':
        return { kind: 'forbidden_by_role', errorCode: answer.errorCode };
      case 'invalid_token':
        return { kind: 'invalid_token' };
      case 'not_found':
        return { kind: 'not_found' };
      case 'other':
        return {
          kind: 'failed',
          reason: `Okta answered HTTP ${answer.status}${answer.errorCode ? ` (${answer.errorCode})` : ''}`,
        };
    }
  } catch (error) {
    if (!isBotError(error)) throw error;
    return outageResult(error);
  }
}

function outageResult(error: BotError): CallResult {
  if (error.code === 'okta_rate_limited') {
    const resetAt = error.details.resetAt;
    return { kind: 'rate_limited', resetAt: typeof resetAt === 'number' ? resetAt : null };
  }
  return { kind: 'failed', reason: describeFailure(error) };
}

interface PlannedProbe {
  family: string;
  path: string;
  scope: string;
  granted: boolean;
}

/** One probe per family: the granted families first, then those of dropped scopes. */
function probePlan(connection: Connection, sub: string | null) {
  const granted = new Set(connection.grantedScopes);
  const dropped = connection.requestedScopes.filter(
    (scope) => scopeFamily(scope) !== undefined && !granted.has(scope),
  );
  const families = new Map<string, boolean>();
  for (const scope of connection.grantedScopes) {
    const family = scopeFamily(scope);
    if (family) families.set(family, true);
  }
  for (const scope of dropped) {
    const family = scopeFamily(scope);
    if (family && !families.has(family)) families.set(family, false);
  }
  const probes: PlannedProbe[] = [];
  const notProbed: string[] = [];
  for (const [family, isGranted] of families) {
    const probe = probeFor(family);
    const path = probe?.path({ sub, clientId: connection.clientId });
    if (probe && path) probes.push({ family, path, scope: probe.scope, granted: isGranted });
    else notProbed.push(family);
  }
  return { probes, notProbed, dropped };
}
