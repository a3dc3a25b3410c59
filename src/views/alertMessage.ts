import type { Connection } from '../db/connectionModel.ts';
import {
  actions,
  button,
  context,
  type KnownBlock,
  message,
  type SlackMessage,
  section,
} from './blocks.ts';
import { utcDate, utcTime } from './formatTime.ts';
import { ACTION } from './ids.ts';
import { bold, code, escapeValue, mention } from './mrkdwn.ts';

export interface AlertIncident {
  kind: 'needs_reauth' | 'attention';
  code: string;
  text: string;
  scope?: string;
  since: number;
}

function whatToDo(incident: AlertIncident, nickname: string): string {
  if (incident.kind === 'attention' && incident.scope) {
    return `Grant ${code(incident.scope)} on the app’s *Okta API Scopes* tab in the Okta Admin Console, then reauthorize (the scope must also be requested: check it with \`/okta-connect scopes ${escapeValue(nickname, 60)}\`).`;
  }
  if (incident.code === 'scopes_changed') {
    return 'The scopes were changed: reauthorize so that Okta grants the new set. Until then the connection is not refreshed.';
  }
  return 'A super admin must reauthorize the connection (the button below, or `/okta-connect reauth NAME`). Until then workflows using it fail.';
}

/** The one message per incident in the connection's channel. */
export function alertMessage(connection: Connection, incident: AlertIncident): SlackMessage {
  const name = bold(connection.nickname, 80);
  const headline =
    incident.kind === 'attention'
      ? `:warning: ${name} (${code(connection.domain, 200)}) is missing a scope`
      : `:rotating_light: ${name} (${code(connection.domain, 200)}) needs reauthorization`;
  const blocks: KnownBlock[] = [
    section(headline),
    section(
      `*What broke:* ${escapeValue(incident.text || incident.code, 1000)}\n*Since:* ${utcDate(incident.since)} ${utcTime(incident.since)}\n*What to do:* ${whatToDo(incident, connection.nickname)}`,
    ),
    actions(
      [
        button({
          text: 'Reauthorize',
          actionId: ACTION.connReauth,
          value: connection.id,
          style: 'primary',
        }),
      ],
      `alert_actions:${connection.id}`,
    ),
    context(`Created by ${mention(connection.createdBy)} · reason code ${code(incident.code, 60)}`),
  ];
  const plainName = escapeValue(connection.nickname, 80);
  return message(
    incident.kind === 'attention'
      ? `${plainName} is missing a scope: ${escapeValue(incident.scope ?? incident.code, 100)}`
      : `${plainName} needs reauthorization`,
    blocks,
  );
}

/** The same message once the connection works again. */
export function resolvedAlertMessage(
  connection: Connection,
  fixedBy: string,
  at: number,
): SlackMessage {
  const name = bold(connection.nickname, 80);
  return message(`${escapeValue(connection.nickname, 80)} is working again`, [
    section(`:white_check_mark: ${name} (${code(connection.domain, 200)}) is working again.`),
    context(`Resolved ${utcDate(at)} ${utcTime(at)} by ${mention(fixedBy)}`),
  ]);
}

/** The reply in the alert's thread. */
export function fixedByReply(connection: Connection, fixedBy: string): SlackMessage {
  return message(`${mention(fixedBy)} reauthorized ${escapeValue(connection.nickname, 80)}`, [
    section(
      `${mention(fixedBy)} reauthorized ${bold(connection.nickname, 80)}; the connection is active again.`,
    ),
  ]);
}
