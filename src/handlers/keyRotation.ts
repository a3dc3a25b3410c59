import {
  cancelKeyRotation,
  confirmKeyRotation,
  type RotationTarget,
  startKeyRotation,
} from '../flows/rotateClientKey.ts';
import type { SlackMessage } from '../views/blocks.ts';
import { ACTION } from '../views/ids.ts';
import {
  keyRotationCancelledMessage,
  keyRotationMessage,
  keyRotationResultMessage,
  notKeyPairMessage,
  parseRotationButtonValue,
} from '../views/keyRotationMessage.ts';
import { failureMessage } from '../views/messages.ts';
import { simpleNotice } from '../views/notices.ts';
import type { HandlerDeps } from './deps.ts';
import { allowClick } from './guard.ts';
import type { Listeners } from './listeners.ts';
import { readClick } from './payloads.ts';
import { replyTo } from './replyTo.ts';

const gone = () => simpleNotice(failureMessage('connection_gone'));

/** `rotate-keypair NAME` and the *Rotate key pair* button: a new pending key and Okta's steps. */
export async function keyRotationStart(
  deps: HandlerDeps,
  target: RotationTarget,
): Promise<SlackMessage> {
  const started = await startKeyRotation(deps.flows, target);
  if (!started.ok) {
    return started.code === 'not_key_pair' && started.connection
      ? notKeyPairMessage(started.connection.nickname)
      : gone();
  }
  const { connection } = started;
  return keyRotationMessage({
    connectionId: connection.id,
    nickname: connection.nickname,
    domain: connection.domain,
    clientId: connection.clientId,
    pending: started.pending,
    currentKeyId: started.currentKeyId,
  });
}

/** The buttons of a key rotation: start (under a connection), confirm and cancel (in its message). */
export function registerKeyRotation(app: Listeners, deps: HandlerDeps): void {
  /** The click read and its permission checked; null when there is nothing more to do. */
  async function openClick(
    body: unknown,
    respond: Parameters<typeof replyTo>[1]['respond'],
    attempted: string,
  ) {
    const click = readClick(body);
    if (!click) return null;
    const { teamId, userId } = click;
    const who = { userId, body, respond };
    if (!(await allowClick(deps, { teamId, ...who }, attempted))) return null;
    return { teamId, userId, who, value: click.data.actions[0]?.value ?? '' };
  }

  app.action(ACTION.connRotateKey, async ({ ack, body, respond }) => {
    await ack();
    const click = await openClick(body, respond, 'button rotate key pair');
    if (!click) return;
    const target = { teamId: click.teamId, actor: click.userId, connectionId: click.value };
    await replyTo(deps, click.who, await keyRotationStart(deps, target));
  });

  app.action(ACTION.keyRotationConfirm, async ({ ack, body, respond }) => {
    await ack();
    const click = await openClick(body, respond, 'button confirm key rotation');
    if (!click) return;
    const ref = parseRotationButtonValue(click.value);
    if (!ref) return replyTo(deps, click.who, gone());
    const finished = await confirmKeyRotation(deps.flows, {
      teamId: click.teamId,
      actor: click.userId,
      ...ref,
    });
    const nickname = finished.connection?.nickname ?? '';
    await replyTo(deps, click.who, keyRotationResultMessage(finished, nickname));
    if (finished.ok) deps.home.refresh(click.teamId);
  });

  app.action(ACTION.keyRotationCancel, async ({ ack, body, respond }) => {
    await ack();
    const click = await openClick(body, respond, 'button cancel key rotation');
    if (!click) return;
    const cancelled = await cancelKeyRotation(deps.flows, {
      teamId: click.teamId,
      actor: click.userId,
      connectionId: click.value,
    });
    if (!cancelled.connection) return replyTo(deps, click.who, gone());
    await replyTo(
      deps,
      click.who,
      keyRotationCancelledMessage(cancelled.connection.nickname, cancelled.ok),
    );
  });
}
