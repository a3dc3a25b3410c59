import type { Attention, Connection } from '../db/connectionsRepo.ts';
import { type AlertChannel, incidentOf, raiseAlert } from './alerts.ts';
import type { FlowDeps } from './deps.ts';

/** The words stored as the attention reason, shown in the alert's "What broke". */
export function insufficientScopeText(scope: string | null): string {
  return scope
    ? `Okta refused a Management API call made with this connection: its token lacks ${scope} (Insufficient Scope). Calls that need other scopes still work.`
    : 'Okta refused a Management API call made with this connection for a missing scope (Insufficient Scope). Calls that need other scopes still work.';
}

const sameAttention = (a: Attention | null, b: Attention) =>
  a !== null && a.code === b.code && a.scope === b.scope;

/**
 * Okta answered 403 Insufficient Scope: the connection stays `active` (its granted scopes
 * still work) but is marked as needing attention, with the missing scope named, and the
 * channel is alerted. Tools retry, so the same refusal arrives again and again: the mark
 * is written only when it changes, conditionally on the row's version, so that of many
 * concurrent refusals exactly one writes it and raises the alert. Returns the connection
 * as it is now.
 */
export function noteInsufficientScope(
  deps: FlowDeps,
  alerts: AlertChannel,
  connection: Connection,
  scope: string | null,
): Connection {
  const attention: Attention = {
    code: 'insufficient_scope',
    text: insufficientScopeText(scope),
    scope,
  };
  let current: Connection | null = connection;
  for (let attempt = 0; attempt < 3 && current; attempt += 1) {
    if (current.status !== 'active' || sameAttention(current.attention, attention)) return current;
    const written = deps.connections.setAttention(current.id, attention, current.version);
    if (written.ok) {
      deps.audit.record({
        teamId: current.teamId,
        connectionId: current.id,
        actor: 'system',
        action: 'connection.attention',
        details: { reason: attention.code, scope },
      });
      const now = deps.now();
      const incident = incidentOf(written.connection, now);
      if (incident) {
        // The caller gets Okta's refusal now; the alert follows on Slack's time.
        void raiseAlert(deps, alerts, written.connection, { ...incident, since: now }).catch(
          (error: unknown) =>
            deps.logger.error(
              { err: error, connectionId: current?.id },
              'could not raise the alert',
            ),
        );
      }
      return written.connection;
    }
    if (written.code === 'not_found') return connection;
    current = deps.connections.findById(current.teamId, current.id);
  }
  return current ?? connection;
}
