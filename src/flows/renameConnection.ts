import type { Connection } from '../db/connectionsRepo.ts';
import { type AlertChannel, incidentOf } from './alerts.ts';
import type { FlowDeps } from './deps.ts';
import { checkNickname, nicknameTakenMessage } from './validateDetails.ts';

export type RenameOutcome =
  | { ok: true; connection: Connection; previous: string }
  | { ok: false; code: 'nickname_invalid' | 'nickname_taken'; message: string }
  | { ok: false; code: 'unchanged' | 'not_found' };

/**
 * Gives a connection a new nickname under the same rules as a new one. It keeps its id,
 * so its history (audit), tokens and buttons follow; an open alert is edited to the new
 * name; the connection API answers the new name, and the old one with a hint (404).
 */
export async function renameConnection(
  deps: FlowDeps,
  alerts: AlertChannel,
  input: { teamId: string; actor: string; connectionId: string; nickname: string },
): Promise<RenameOutcome> {
  const connection = await deps.connections.findById(input.teamId, input.connectionId);
  if (!connection) return { ok: false, code: 'not_found' };
  const checked = checkNickname(input.nickname);
  if (!checked.ok) return { ok: false, code: 'nickname_invalid', message: checked.message };
  const { nickname } = checked;
  if (nickname === connection.nickname) return { ok: false, code: 'unchanged' };
  const renamed = await deps.connections.rename(connection.id, nickname);
  if (!renamed.ok && renamed.code === 'nickname_taken') {
    return { ok: false, code: 'nickname_taken', message: nicknameTakenMessage(nickname) };
  }
  if (!renamed.ok) return { ok: false, code: 'not_found' };
  await deps.audit.record({
    teamId: input.teamId,
    connectionId: connection.id,
    actor: input.actor,
    action: 'connection.renamed',
    details: { from: renamed.previous, to: nickname },
  });
  // Slack's time, not the admin's: the answer (within Slack's 3 seconds) does not wait for it.
  void renameAlert(deps, alerts, connection, renamed.connection);
  return { ok: true, connection: renamed.connection, previous: renamed.previous };
}

/** The open alert names the connection: edit it, keeping when the incident began. */
async function renameAlert(
  deps: FlowDeps,
  alerts: AlertChannel,
  before: Connection,
  after: Connection,
): Promise<void> {
  const open = after.notifyMessage;
  const incident = incidentOf(before);
  if (!open || !incident) return;
  try {
    await alerts.edit(after, { channel: open.channel, ts: open.ts }, incident);
  } catch (error) {
    deps.logger.warn({ err: error, connectionId: after.id }, 'could not rename the open alert');
  }
}
