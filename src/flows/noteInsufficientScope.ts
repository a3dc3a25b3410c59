import type { Attention, Connection } from '../db/connectionsRepo.ts';
import { type AlertChannel, alertInBackground } from './alerts.ts';
import type { FlowDeps } from './deps.ts';

/** The words stored as the attention reason, shown in the alert's "What broke". */
function insufficientScopeText(scopes: readonly string[]): string {
  const lacking = scopes.length > 0 ? `its token lacks ${scopes.join(', ')}` : 'a scope is missing';
  return `Okta refused a Management API call made with this connection: ${lacking} (Insufficient Scope). Calls that need other scopes still work.`;
}

/**
 * The attention mark once `scope` (one scope, or several space-separated) is known to be
 * missing too, or null when the mark already says so. Scopes already named by an earlier
 * refusal or test are kept, so that no refusal hides another.
 */
function withMissingScope(current: Attention | null, scope: string | null): Attention | null {
  const marked = current?.code === 'insufficient_scope';
  const named = marked ? (current?.scope ?? '').split(' ').filter(Boolean) : [];
  const adding = (scope ?? '').split(' ').filter((name) => name !== '' && !named.includes(name));
  if (marked && adding.length === 0) return null;
  const scopes = [...new Set([...named, ...adding])];
  return {
    code: 'insufficient_scope',
    text: insufficientScopeText(scopes),
    scope: scopes.length > 0 ? scopes.join(' ') : null,
  };
}

/**
 * Okta answered 403 Insufficient Scope: the connection stays `active` (its granted scopes
 * still work) but is marked as needing attention, with the missing scope named, and the
 * channel is alerted. Tools retry, so the same refusal arrives again and again: the mark
 * is written only when it changes, conditionally on the row's version, so that of many
 * concurrent refusals exactly one writes it and raises the alert. Returns the connection
 * as it is now.
 */
export async function noteInsufficientScope(
  deps: FlowDeps,
  alerts: AlertChannel,
  connection: Connection,
  /** As Okta names it in the challenge; several may be given space-separated; null: unnamed. */
  scope: string | null,
): Promise<Connection> {
  let current: Connection | null = connection;
  for (let attempt = 0; attempt < 3 && current; attempt += 1) {
    const attention =
      current.status === 'active' ? withMissingScope(current.attention, scope) : null;
    if (!attention) return current;
    const written = await deps.connections.setAttention(current.id, attention, current.version);
    if (written.ok) {
      await deps.audit.record({
        teamId: current.teamId,
        connectionId: current.id,
        actor: 'system',
        action: 'connection.attention',
        details: { reason: attention.code, scope: attention.scope },
      });
      const marked = written.connection;
      // The caller gets Okta's refusal now; the alert follows on Slack's time.
      alertInBackground(deps, alerts, marked);
      return marked;
    }
    if (written.code === 'not_found') return connection;
    current = await deps.connections.findById(current.teamId, current.id);
  }
  return current ?? connection;
}
