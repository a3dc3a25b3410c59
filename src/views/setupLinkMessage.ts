import {
  actions,
  button,
  context,
  type KnownBlock,
  message,
  type SlackMessage,
  section,
} from './blocks.ts';
import { utcTime } from './formatTime.ts';
import { ACTION } from './ids.ts';
import { warningMessage } from './messages.ts';
import { code, codeList, escapeValue } from './mrkdwn.ts';
import { adminMessageText } from './notices.ts';

export interface SetupLinkInput {
  nickname: string;
  domain: string;
  /** Single use and short-lived, so not a secret; still only in the button. */
  url: string;
  expiresAt: number;
  purpose: 'create' | 'reauthorize';
  /** With a key pair there is no secret to enter: the page shows the public key instead. */
  usesKeyPair?: boolean;
  requestedScopes: readonly string[];
  unknownScopes: readonly string[];
}

/** The DM with the link to the bot's setup page, where the client secret is typed or the public key shown. */
export function setupLinkMessage(input: SetupLinkInput): SlackMessage {
  const name = escapeValue(input.nickname, 80);
  const org = code(input.domain, 300);
  const what =
    input.purpose === 'reauthorize'
      ? `*Reauthorize ${name}* with ${org}: open the setup page, ${input.usesKeyPair ? 'check the connection’s public key is still on the OAuth app' : 'keep or replace the stored client secret'}, then sign in to Okta as a super admin.`
      : `*Finish connecting ${name}* to ${org}: open the setup page, ${input.usesKeyPair ? 'add the public key it shows to the OAuth app in Okta (no secret needed)' : 'enter the OAuth app’s client secret (it never goes through Slack)'}, then sign in to Okta as a super admin.`;
  const blocks: KnownBlock[] = [
    section(what),
    actions([
      button({
        text: 'Open the setup page',
        actionId: ACTION.openSetupLink,
        url: input.url,
        style: 'primary',
      }),
    ]),
    context(
      `The link works once, until ${utcTime(input.expiresAt)} (15 minutes). It is meant for you alone: please do not forward it.`,
    ),
    section(`*Scopes requested*\n${codeList(input.requestedScopes, 2500)}`),
  ];
  if (input.unknownScopes.length > 0) {
    blocks.push(
      section(
        adminMessageText(
          warningMessage('scopes_unknown', { scopes: input.unknownScopes }),
          ':warning:',
        ),
      ),
    );
  }
  const verb = input.purpose === 'reauthorize' ? 'Reauthorize' : 'Finish connecting';
  return message(
    `${verb} ${name} (${escapeValue(input.domain, 300)}): open the setup link in this message before ${utcTime(input.expiresAt)}.`,
    blocks,
  );
}
