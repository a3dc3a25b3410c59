import { formatPublicJwk, type PublicKeyJwk } from '../clientCredential.ts';
import type { RotationFinish } from '../flows/rotateClientKey.ts';
import { actions, button, context, message, type SlackMessage, section } from './blocks.ts';
import { ACTION } from './ids.ts';
import { code, escapeValue } from './mrkdwn.ts';
import { simpleNotice } from './notices.ts';

/** `block_id` of the confirm and cancel buttons. */
export const KEY_ROTATION_BLOCK = 'key_rotation';

/** What a confirm button carries: the connection and the key it was shown for. */
export function rotationButtonValue(connectionId: string, keyId: string): string {
  return `${connectionId} ${keyId}`;
}

export function parseRotationButtonValue(
  value: string,
): { connectionId: string; keyId: string } | null {
  const [connectionId, keyId, ...rest] = value.split(' ');
  return connectionId && keyId && rest.length === 0 ? { connectionId, keyId } : null;
}

/**
 * The new public key and Okta's steps, with the two ways on: the bot checks and switches,
 * or the rotation is dropped. A public key is no secret: it may be shown in Slack.
 */
export function keyRotationMessage(input: {
  connectionId: string;
  nickname: string;
  domain: string;
  clientId: string;
  pending: PublicKeyJwk;
  currentKeyId: string;
}): SlackMessage {
  const name = escapeValue(input.nickname, 80);
  return message(`New key pair for ${name}: add its public key in Okta, then confirm.`, [
    section(
      `*New key pair for ${name}* (${code(input.domain, 300)}). The connection keeps signing with its current key ${code(input.currentKeyId)} until Okta accepts the new one.`,
    ),
    section(
      `*1.* In the Okta Admin Console open the app ${code(input.clientId, 100)} → *General* → *Client Credentials* → *Public keys* → *Add key*, paste this public key, choose *Done*, then *Save*. Leave the current key Active for now.\n\`\`\`${formatPublicJwk(input.pending)}\`\`\``,
    ),
    section(
      '*2.* Then press *Okta has the new key*: the bot asks Okta whether it accepts the new key, and switches only if it does.',
    ),
    actions(
      [
        button({
          text: 'Okta has the new key',
          actionId: ACTION.keyRotationConfirm,
          value: rotationButtonValue(input.connectionId, input.pending.kid),
          style: 'primary',
        }),
        button({
          text: 'Cancel rotation',
          actionId: ACTION.keyRotationCancel,
          value: input.connectionId,
        }),
      ],
      KEY_ROTATION_BLOCK,
    ),
    context(`New key ID ${code(input.pending.kid)}. The private key never leaves the bot.`),
  ]);
}

/** The answer to the confirm button. */
export function keyRotationResultMessage(outcome: RotationFinish, nickname: string): SlackMessage {
  if (outcome.ok) {
    return simpleNotice({
      title: `${nickname} now signs with its new key`,
      text: `Okta accepted the new key ${code(outcome.newKeyId)}, and the bot no longer has the old private key.`,
      next: `In Okta, deactivate and delete the old public key ${code(outcome.oldKeyId)} (app → General → Client Credentials → Public keys).`,
    });
  }
  switch (outcome.code) {
    case 'key_not_in_okta':
      return simpleNotice({
        title: 'Okta does not accept the new key yet',
        text: `Okta refused a request signed with the new key (invalid_client). ${nickname} keeps using its current key.`,
        next: 'Check that the new key is added and Active on the app’s Client Credentials, then press *Okta has the new key* again.',
      });
    case 'okta_unreachable':
      return simpleNotice({
        title: 'Could not check the new key',
        text: `Okta could not be reached or answered with an error, so nothing changed. ${nickname} keeps using its current key.`,
        next: 'Press *Okta has the new key* again in a minute.',
      });
    case 'rotation_stale':
      return simpleNotice({
        title: 'This key rotation is over',
        text: `The key in this message is no longer the one waiting for ${nickname}: the rotation was finished, cancelled or started again.`,
        next: `Start again with \`/okta-connect rotate-keypair ${nickname}\` if needed.`,
      });
    case 'not_key_pair':
      return notKeyPairMessage(nickname);
    default:
      return simpleNotice({
        title: 'Connection not found',
        text: 'This connection no longer exists in this workspace (it may have been deleted).',
        next: 'See `/okta-connect list`.',
      });
  }
}

export function notKeyPairMessage(nickname: string): SlackMessage {
  return simpleNotice({
    title: 'This connection uses a client secret',
    text: `${nickname} authenticates with a client secret, not a key pair, so it has no key to rotate.`,
    next: 'To change its secret, rotate it in Okta and reauthorize the connection with the new one.',
  });
}

export function keyRotationCancelledMessage(nickname: string, cancelled: boolean): SlackMessage {
  return simpleNotice(
    cancelled
      ? {
          title: 'Key rotation cancelled',
          text: `${nickname} keeps its current key; the new private key was erased.`,
          next: 'If you already added the new public key in Okta, delete it there.',
        }
      : {
          title: 'No key rotation to cancel',
          text: `${nickname} has no new key waiting.`,
          next: `Start a rotation with \`/okta-connect rotate-keypair ${nickname}\`.`,
        },
  );
}
