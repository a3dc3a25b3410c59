import {
  actions,
  button,
  context,
  header,
  type KnownBlock,
  message,
  type SlackMessage,
  section,
} from './blocks.ts';
import { ACTION } from './ids.ts';
import {
  type FailureCode,
  type FailureFacts,
  failureMessage,
  type WarningCode,
  warningMessage,
} from './messages.ts';
import { bold, code, codeList, escapeValue } from './mrkdwn.ts';
import { adminMessageBody, adminMessageFallback, adminMessageText } from './notices.ts';

/** Dropped scopes come as the result's `dropped` list, never as a warning. */
export interface ResultWarning {
  code: Exclude<WarningCode, 'scopes_dropped'>;
}

/** How an authorization ended, as the Okta callback reports it. */
export type AuthorizationResult =
  | {
      ok: true;
      nickname: string;
      domain: string;
      purpose: 'create' | 'reauthorize';
      granted: readonly string[];
      dropped: readonly string[];
      warnings: readonly ResultWarning[];
      authorizedLogin: string | null;
    }
  | {
      ok: false;
      nickname?: string;
      domain?: string;
      code: FailureCode;
      facts?: FailureFacts;
      /** A fresh setup link, when the flow made one. */
      retryUrl?: string;
    };

/** The DM after the Okta callback: what was granted and what to fix, or why it failed. */
export function resultMessage(result: AuthorizationResult): SlackMessage {
  return result.ok ? success(result) : failure(result);
}

function success(result: Extract<AuthorizationResult, { ok: true }>): SlackMessage {
  const done = result.purpose === 'reauthorize' ? 'reauthorized' : 'connected';
  const { dropped, warnings: others } = result;
  const who =
    result.authorizedLogin === null
      ? ''
      : ` Signed in at Okta as ${bold(result.authorizedLogin, 200)}.`;
  const blocks: KnownBlock[] = [
    header(`✅ ${result.nickname} is ${done}`),
    section(`Okta org ${code(result.domain, 300)}.${who}`),
    section(
      result.granted.length === 0
        ? '*Scopes granted*\nNone.'
        : `*Scopes granted (${result.granted.length})*\n${codeList(result.granted, 2800)}`,
    ),
  ];
  if (dropped.length > 0) {
    blocks.push(
      section(adminMessageText(warningMessage('scopes_dropped', { scopes: dropped }), ':warning:')),
    );
  }
  for (const warning of others) {
    blocks.push(section(adminMessageText(warningMessage(warning.code), ':warning:')));
  }
  blocks.push(context('See and manage your connections with `/okta-connect list`.'));
  const warningCount = others.length + (dropped.length > 0 ? 1 : 0);
  const tail =
    warningCount === 0 ? '.' : `, with ${warningCount} warning${warningCount === 1 ? '' : 's'}.`;
  return message(
    `✅ ${escapeValue(result.nickname, 80)} is ${done} to ${escapeValue(result.domain, 300)}${tail}`,
    blocks,
  );
}

function failure(result: Extract<AuthorizationResult, { ok: false }>): SlackMessage {
  const facts: FailureFacts = {
    ...(result.nickname === undefined ? {} : { nickname: result.nickname }),
    ...(result.domain === undefined ? {} : { domain: result.domain }),
    ...result.facts,
  };
  const msg = failureMessage(result.code, facts);
  const blocks: KnownBlock[] = [header(`❌ ${msg.title}`), section(adminMessageBody(msg))];
  const about = [
    result.nickname === undefined ? null : `Connection ${bold(result.nickname, 80)}`,
    result.domain === undefined ? null : `Okta org ${code(result.domain, 300)}`,
  ].filter((part) => part !== null);
  if (about.length > 0) blocks.push(context(about.join(' · ')));
  if (result.retryUrl !== undefined) {
    blocks.push(
      actions([
        button({
          text: 'Try again',
          actionId: ACTION.openSetupLink,
          url: result.retryUrl,
          style: 'primary',
        }),
      ]),
    );
  }
  return message(`❌ ${adminMessageFallback(msg)}`, blocks);
}
