import type { Connection } from '../db/connectionModel.ts';
import { context, type ModalView, modal, section } from './blocks.ts';
import { CALLBACK } from './ids.ts';
import { bold, code } from './mrkdwn.ts';

/**
 * Asks before deleting. Slack cannot colour a modal's submit button red, so the text
 * says plainly what Delete does and that it cannot be undone.
 */
export function deleteConfirmView(input: { connection: Connection; metadata: string }): ModalView {
  const { nickname, domain } = input.connection;
  return modal({
    callbackId: CALLBACK.deleteConfirm,
    title: 'Delete connection',
    submit: 'Delete',
    close: 'Keep it',
    metadata: input.metadata,
    blocks: [
      section(
        `Deleting ${bold(nickname, 80)} (${code(domain, 300)}) revokes its tokens at Okta first, then erases the stored secret and tokens. Workflows using it stop working.`,
      ),
      context(
        'This cannot be undone: to connect again, create a new connection. Press *Keep it* to leave everything as it is.',
      ),
    ],
  });
}
