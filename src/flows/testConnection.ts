import { randomToken } from '../crypto.ts';
import type { Connection } from '../db/connectionsRepo.ts';
import { type BotError, isBotError } from '../errors.ts';
import { probeFor } from '../okta/familyProbes.ts';
import { oktaGet } from '../okta/managementApi.ts';
import { scopeFamily } from '../okta/scopeCatalog.ts';
import { fetchUserinfo } from '../okta/userinfo.ts';
import { type AlertChannel, type Incident, incidentKey, incidentOf, raiseAlert } from './alerts.ts';
import type { FlowDeps } from './deps.ts';
import { describeFailure, refreshConnection } from './refreshConnection.ts';

/**
 * Calls run a few at a time: a test is one admin's click, and must not take a burst of
 * the org's rate limit away from the Workflows and scripts that share it.
 */
export const PROBE_CONCURRENCY = 4;

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
      /** Who the token acts for, from userinfo. */
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

type TokenFor =
  | { ok: true; token: string; connection: Connection }
  | Extract<TestOutcome, { ok: false }>;

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
  const found = deps.connections.findById(input.teamId, input.connectionId);
  if (!found) return { ok: false, code: 'not_found' };
  if (found.status !== 'active') return { ok: false, code: 'not_active', connection: found };
  const owner = `test:${randomToken(6)}`;

  let access = await accessTokenFor(deps, alerts, found, owner, false);
  if (!access.ok) return access;
  let userinfo = await callUserinfo(deps, access);
  if (userinfo.report.result.kind === 'invalid_token') {
    // Okta refused a token the bot thought valid (revoked at Okta): one forced refresh
    // tells a revoked grant (needs reauthorization) from a revoked access token.
    access = await accessTokenFor(deps, alerts, access.connection, owner, true);
    if (!access.ok) return access;
    userinfo = await callUserinfo(deps, access);
  }
  const { connection, token } = access;
  const calls: CallReport[] = [userinfo.report];
  const plan = probePlan(connection, userinfo.sub ?? connection.authorizedSub);
  if (userinfo.report.result.kind !== 'invalid_token') {
    const reports = await mapLimited(plan.probes, PROBE_CONCURRENCY, async (probe) => ({
      target: probe.family,
      path: probe.path,
      granted: probe.granted,
      result: await callManagementApi(deps, connection.domain, token, probe.path, probe.scope),
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
  const marked = await markMissingScopes(deps, alerts, connection, missingScopes);
  deps.audit.record({
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
    login: userinfo.login,
    calls,
    notProbed: plan.notProbed,
    dropped: plan.dropped,
    missingScopes,
  };
}

/** The stored access token, refreshed first when due (or when `force`), like the sweep does. */
async function accessTokenFor(
  deps: FlowDeps,
  alerts: AlertChannel,
  connection: Connection,
  owner: string,
  force: boolean,
): Promise<TokenFor> {
  const refreshed = await refreshConnection(deps, connection, { owner, force });
  let problem: string | null = null;
  switch (refreshed.kind) {
    case 'needs_reauth': {
      const incident = incidentOf(refreshed.connection, deps.now());
      if (incident) {
        await raiseQuietly(deps, alerts, refreshed.connection, { ...incident, since: deps.now() });
      }
      return { ok: false, code: 'needs_reauth', connection: refreshed.connection };
    }
    case 'skipped':
      if (refreshed.reason === 'gone') return { ok: false, code: 'not_found' };
      if (refreshed.reason === 'not_active') {
        const current = deps.connections.findById(connection.teamId, connection.id);
        return current
          ? { ok: false, code: 'not_active', connection: current }
          : { ok: false, code: 'not_found' };
      }
      problem = 'The access token expired and Okta gave this connection no refresh token.';
      break;
    case 'failed':
      problem = `The access token expired and could not be refreshed: ${describeFailure(refreshed.error)}.`;
      break;
    case 'busy':
      problem = 'The connection is being refreshed right now.';
      break;
    default:
  }
  const current = deps.connections.findById(connection.teamId, connection.id);
  if (!current) return { ok: false, code: 'not_found' };
  const secrets = deps.connections.readSecrets(current.id, ['accessToken']);
  const expired = current.accessExpiresAt !== null && current.accessExpiresAt <= deps.now();
  if (!secrets?.accessToken || expired) {
    return {
      ok: false,
      code: 'token_unavailable',
      connection: current,
      reason: problem ?? 'No usable access token is stored.',
    };
  }
  return { ok: true, token: secrets.accessToken, connection: current };
}

async function callUserinfo(
  deps: FlowDeps,
  access: { token: string; connection: Connection },
): Promise<{ report: CallReport; sub: string | null; login: string | null }> {
  const { connection } = access;
  const report = (result: CallResult): CallReport => ({
    target: 'userinfo',
    path: USERINFO,
    granted: true,
    result,
  });
  try {
    const answer = await fetchUserinfo(deps.orgs, connection.domain, access.token);
    if (answer.ok) {
      deps.connections.recordCheck(connection.id);
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
    deps.connections.recordFailure(connection.id, describeFailure(error));
    return { report: report(outageResult(error)), sub: null, login: null };
  }
}

async function callManagementApi(
  deps: FlowDeps,
  domain: string,
  token: string,
  path: string,
  scope: string,
): Promise<CallResult> {
  try {
    const answer = await oktaGet(deps.orgs, domain, token, path);
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

/**
 * Marks the connection with the scopes Okta refused and raises (or edits) its alert. A
 * test that finds the same scopes missing again changes nothing: the alert already says it.
 */
async function markMissingScopes(
  deps: FlowDeps,
  alerts: AlertChannel,
  connection: Connection,
  missing: readonly string[],
): Promise<Connection> {
  if (missing.length === 0) return connection;
  const scope = missing.join(' ');
  const already =
    connection.attention?.code === 'insufficient_scope' && connection.attention.scope === scope;
  let current = connection;
  if (!already) {
    const marked = deps.connections.setAttention(connection.id, {
      code: 'insufficient_scope',
      text: `Okta answered Insufficient Scope: the connection's token lacks ${missing.join(', ')}.`,
      scope,
    });
    if (!marked.ok) return connection;
    current = marked.connection;
    deps.audit.record({
      teamId: current.teamId,
      connectionId: current.id,
      actor: 'system',
      action: 'connection.attention',
      details: { reason: 'insufficient_scope', scope },
    });
  }
  const incident = incidentOf(current, deps.now());
  if (!incident) return current;
  if (already && current.notifyMessage?.incidentKey === incidentKey(incident)) return current;
  await raiseQuietly(deps, alerts, current, incident);
  return deps.connections.findById(current.teamId, current.id) ?? current;
}

/** The test's answer matters more than the alert: a Slack failure is logged, not thrown. */
async function raiseQuietly(
  deps: FlowDeps,
  alerts: AlertChannel,
  connection: Connection,
  incident: Incident,
): Promise<void> {
  try {
    await raiseAlert(deps, alerts, connection, incident);
  } catch (error) {
    deps.logger.error({ err: error, connectionId: connection.id }, 'could not raise the alert');
  }
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await run(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
