import type { Connection } from '../db/connectionModel.ts';
import { context, type ModalView, modal } from './blocks.ts';
import { MAX, textInput } from './detailsStep.ts';
import { CALLBACK, INPUT } from './ids.ts';
import type { AdminMessage } from './messages.ts';
import { code } from './mrkdwn.ts';

/** The rename modal, opened from a connection's buttons or `/okta-connect rename NAME`. */
export function renameView(input: { connection: Connection; metadata: string }): ModalView {
  const { nickname, domain } = input.connection;
  return modal({
    callbackId: CALLBACK.rename,
    title: 'Rename connection',
    submit: 'Rename',
    close: 'Cancel',
    metadata: input.metadata,
    blocks: [
      textInput({
        id: INPUT.newNickname,
        label: 'New nickname',
        maxLength: MAX.nickname,
        placeholder: 'e.g. acme-prod',
        hint: 'Unique in this workspace; letters, digits, spaces, - _ .',
        initial: nickname,
      }),
      context(
        `Okta org ${code(domain, 300)}. Its history, alerts and tokens stay with it; the connection API answers the new name only.`,
      ),
    ],
  });
}

/** The field error when the name typed is the one it has. */
export const UNCHANGED_NICKNAME = 'That is already its nickname: type the new one.';

/** After a rename: what changed and what the admin may need to update. */
export function renamedMessage(previous: string, nickname: string): AdminMessage {
  const path = (name: string) => `/api/connections/${encodeURIComponent(name)}`;
  return {
    title: `Renamed to ${nickname}`,
    text: `“${previous}” is now “${nickname}”. Its history, alerts and tokens stay with it, and the connection API answers ${path(nickname)}.`,
    next: `Update scripts that use the old name: ${path(previous)} now answers 404 with the new name.`,
  };
}

/** A rename from the slash command that could not be made, with the reason the field would show. */
export function renameRefusedMessage(reason: string): AdminMessage {
  return {
    title: 'Not renamed',
    text: reason,
    next: 'Try again with `/okta-connect rename NAME NEW-NAME`, or use the Rename button in `/okta-connect list`.',
  };
}
