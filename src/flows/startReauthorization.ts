import { type FlowDeps, LINK_TTL_MS, setupLinkUrl } from './deps.ts';
import type { SetupLink } from './startConnection.ts';

export type ReauthStart =
  | { ok: true; link: SetupLink }
  | { ok: false; code: 'not_found' }
  | { ok: false; code: 'in_progress'; by: string; until: number }
  | { ok: false; code: 'conflict' };

/**
 * A reauthorization (design §5): same connection id and history, new tokens at the end.
 * `scopes` replaces the requested scopes when given (an edit); unchanged scopes are
 * inherited. Only one admin at a time: a second one is told who holds the open link.
 */
export async function startReauthorization(
  deps: FlowDeps,
  input: {
    teamId: string;
    actor: string;
    connectionId: string;
    scopes?: { scopeMode: 'default' | 'custom'; requestedScopes: string[] };
    /** An edit of scopes: the connection needs reauthorization until the link is used. */
    editing?: boolean;
  },
): Promise<ReauthStart> {
  let connection = await deps.connections.findById(input.teamId, input.connectionId);
  if (!connection) return { ok: false, code: 'not_found' };
  const now = deps.now();
  const open = await deps.authRequests.findOpenForConnection(connection.id, now);
  if (open && open.slackUserId !== input.actor) {
    return { ok: false, code: 'in_progress', by: open.slackUserId, until: open.expiresAt };
  }
  if (input.scopes && input.editing) {
    const changed = await deps.connections.updateScopes(
      connection.id,
      input.scopes,
      connection.version,
    );
    if (!changed.ok)
      return { ok: false, code: changed.code === 'not_found' ? 'not_found' : 'conflict' };
    connection = changed.connection;
  }
  // Scopes changed in a plain reauthorization travel with the request and reach the
  // connection only when Okta has granted them.
  const scopeMode = input.scopes?.scopeMode ?? connection.scopeMode;
  const requestedScopes = input.scopes?.requestedScopes ?? connection.requestedScopes;
  const expiresAt = now + LINK_TTL_MS;
  const created = await deps.authRequests.createReauthorization(
    {
      connectionId: connection.id,
      teamId: input.teamId,
      purpose: 'reauthorize',
      scopeMode,
      requestedScopes,
      slackUserId: input.actor,
      expiresAt,
      connectionVersion: connection.version,
    },
    now,
  );
  if (!created.ok) {
    return {
      ok: false,
      code: 'in_progress',
      by: created.holder.slackUserId,
      until: created.holder.expiresAt,
    };
  }
  await deps.audit.record({
    teamId: input.teamId,
    connectionId: connection.id,
    actor: input.actor,
    action: input.editing ? 'connection.scopes_edited' : 'connection.reauthorize_started',
    details: { scopes: requestedScopes.length },
  });
  return {
    ok: true,
    link: {
      connection,
      url: setupLinkUrl(deps.settings, created.linkToken),
      expiresAt,
      requestedScopes,
    },
  };
}
