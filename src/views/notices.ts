import {
  header,
  LIMITS,
  type ModalView,
  message,
  modal,
  type SlackMessage,
  section,
} from './blocks.ts';
import { CALLBACK } from './ids.ts';
import { type AdminMessage, failureMessage } from './messages.ts';
import { escapeValue, truncate } from './mrkdwn.ts';

/** The words of an AdminMessage are plain text that may carry facts from Okta: escape. */
const TEXT_MAX = 1200;

/** What happened, then what to do, as mrkdwn. */
export function adminMessageBody(msg: AdminMessage): string {
  return `${escapeValue(msg.text, TEXT_MAX)}\n*What to do:* ${escapeValue(msg.next, TEXT_MAX)}`;
}

/** `*title*` above the body, for a message that shows more than one thing. */
export function adminMessageText(msg: AdminMessage, icon?: string): string {
  const title = `*${escapeValue(msg.title, LIMITS.headerText)}*`;
  return `${icon === undefined ? title : `${icon} ${title}`}\n${adminMessageBody(msg)}`;
}

/** The notification line of an AdminMessage. */
export function adminMessageFallback(msg: AdminMessage): string {
  return escapeValue(`${msg.title}: ${msg.text}`, 300);
}

/** A modal that shows one AdminMessage, for a problem found while a modal is open. */
export function noticeView(msg: AdminMessage): ModalView {
  return modal({
    callbackId: CALLBACK.notice,
    title: msg.title,
    close: 'Close',
    blocks: [header(msg.title), section(adminMessageBody(msg))],
  });
}

/** The last modal of a create or reauthorize: the rest happens in the DM. */
export function checkDmView(input: {
  nickname: string;
  purpose: 'create' | 'reauthorize';
}): ModalView {
  const secretLine =
    input.purpose === 'reauthorize'
      ? 'The stored client secret is used again unless you enter a new one there.'
      : 'The client secret goes into the bot’s own page, never into Slack.';
  return checkDmModal([
    `I sent you a direct message with a link to enter the client secret and sign in to Okta${
      input.purpose === 'reauthorize' ? ' again' : ''
    } for *${escapeValue(input.nickname, 80)}*. The link works once, for 15 minutes.`,
    secretLine,
  ]);
}

/** The last modal of a step that goes on from a single-use link in the DM; `lines` are mrkdwn. */
export function checkDmModal(lines: readonly string[]): ModalView {
  return modal({
    callbackId: CALLBACK.connectDone,
    title: 'Check your DMs',
    close: 'Done',
    blocks: lines.map((line) => section(line)),
  });
}

/** A message form of an AdminMessage, for ephemeral replies. */
export function simpleNotice(msg: AdminMessage): SlackMessage {
  return message(adminMessageFallback(msg), [section(adminMessageText(msg))]);
}

/** Why someone may not manage connections (or why the bot could not tell). */
/** A modal answer refusing someone who may not manage connections. */
export function refusalView(code: 'not_allowed' | 'role_unknown') {
  return { response_action: 'update' as const, view: noticeView(failureMessage(code)) };
}

export function refusalMessage(code: 'not_allowed' | 'role_unknown'): SlackMessage {
  return simpleNotice(failureMessage(code));
}

/** The answer to `test NAME`, `reauth NAME`, … when NAME is not a connection here. */
export function notFoundMessage(nickname: string): SlackMessage {
  return simpleNotice({
    title: 'No such connection',
    text: `There is no connection named “${truncate(nickname, 80)}” in this workspace.`,
    next: 'See `/okta-connect list` for the names, which are not case-sensitive.',
  });
}
