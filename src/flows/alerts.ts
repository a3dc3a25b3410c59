import type { Connection } from '../db/connectionsRepo.ts';
import type { FlowDeps } from './deps.ts';

/** What is wrong with a connection, as an alert says it. */
export interface Incident {
  /** `needs_reauth` stops the connection; `attention` (a missing scope) does not. */
  kind: 'needs_reauth' | 'attention';
  code: string;
  text: string;
  scope?: string;
  since: number;
}

export interface AlertPlace {
  channel: string;
  ts: string;
}

/** Slack's side of alerts; the composition root renders the words and talks to Slack. */
export interface AlertChannel {
  /** Posts in the connection's channel, or DMs its creator when that fails. null: nowhere. */
  open(connection: Connection, incident: Incident): Promise<AlertPlace | null>;
  edit(connection: Connection, place: AlertPlace, incident: Incident): Promise<boolean>;
  /** Marks the alert resolved and replies in its thread with who fixed it. */
  resolve(connection: Connection, place: AlertPlace, fixedBy: string): Promise<void>;
}

export function incidentKey(incident: Incident): string {
  return `${incident.kind}:${incident.code}:${incident.scope ?? ''}`;
}

/**
 * One message per incident in the connection's channel: the first problem posts it,
 * later changes edit it (chat.update) instead of posting again, so a channel is never
 * flooded by a connection that keeps failing.
 */
export async function raiseAlert(
  deps: FlowDeps,
  alerts: AlertChannel,
  connection: Connection,
  incident: Incident,
): Promise<void> {
  const key = incidentKey(incident);
  const open = connection.notifyMessage;
  if (open) {
    const edited = await alerts.edit(connection, { channel: open.channel, ts: open.ts }, incident);
    if (edited) {
      await deps.connections.setNotifyMessage(connection.id, {
        channel: open.channel,
        ts: open.ts,
        incidentKey: key,
      });
      return;
    }
  }
  const place = await alerts.open(connection, incident);
  if (!place) return;
  await deps.connections.setNotifyMessage(connection.id, { ...place, incidentKey: key });
  await deps.audit.record({
    teamId: connection.teamId,
    connectionId: connection.id,
    actor: 'system',
    action: 'alert.posted',
    details: { kind: incident.kind, reason: incident.code, channel: place.channel },
  });
}

/** After a successful reauthorization: the open alert says resolved, and who fixed it. */
export async function resolveAlert(
  deps: FlowDeps,
  alerts: AlertChannel,
  connection: Connection,
  fixedBy: string,
): Promise<void> {
  const open = connection.notifyMessage;
  if (!open) return;
  await alerts.resolve(connection, { channel: open.channel, ts: open.ts }, fixedBy);
  await deps.connections.clearNotifyMessage(connection.id);
}

/**
 * Raises the alert for a connection's current incident without making the caller wait:
 * the caller answers now, the alert follows on Slack's time.
 */
export function alertInBackground(
  deps: FlowDeps,
  alerts: AlertChannel,
  connection: Connection,
): void {
  const now = deps.now();
  const incident = incidentOf(connection);
  if (!incident) return;
  void raiseAlert(deps, alerts, connection, { ...incident, since: now }).catch((error: unknown) =>
    deps.logger.error({ err: error, connectionId: connection.id }, 'could not raise the alert'),
  );
}

/** The incident a connection's current state describes, if any. */
export function incidentOf(connection: Connection): Incident | null {
  if (connection.status === 'needs_reauth') {
    return {
      kind: 'needs_reauth',
      code: connection.statusCode ?? 'needs_reauth',
      text: connection.statusText ?? 'The connection needs reauthorization.',
      since: connection.updatedAt,
    };
  }
  if (connection.status === 'active' && connection.attention) {
    return {
      kind: 'attention',
      code: connection.attention.code,
      text: connection.attention.text ?? '',
      ...(connection.attention.scope ? { scope: connection.attention.scope } : {}),
      since: connection.updatedAt,
    };
  }
  return null;
}
