import type { Connection, ConnectionStatus } from '../db/connectionModel.ts';
import {
  context,
  divider,
  header,
  type KnownBlock,
  message,
  type SlackMessage,
  section,
} from './blocks.ts';
import { connectionButtons, keyPairLine, pagingButtons } from './connectionControls.ts';
import { utcDate } from './formatTime.ts';
import { ACTION, LIST_PAGING_BLOCK } from './ids.ts';
import { bold, clipMrkdwn, code, escapeValue, mention } from './mrkdwn.ts';
import { statusReason } from './statusReason.ts';

/**
 * A page takes a header, a page line, three blocks per connection (details, buttons, a
 * divider but after the last) and two paging blocks: 15 connections make 48 blocks,
 * within Slack's 50 per message.
 */
export const LIST_PAGE_SIZE = 15;

/** Each connection's text stays short so a full page stays far below Slack's ~13k total. */
const CONNECTION_TEXT_MAX = 800;

const STATUS: Record<ConnectionStatus, string> = {
  active: '✅ Active',
  needs_reauth: '⚠️ Needs reauthorization',
  failed: '❌ Failed',
  pending: '⏳ Waiting for sign-in at Okta',
  deleted: '🗑️ Deleted',
};

export interface ListInput {
  /** One page, at most `LIST_PAGE_SIZE`. */
  connections: readonly Connection[];
  /** 1-based. */
  page: number;
  pageCount: number;
  total: number;
  now: number;
}

/** The workspace's connections, one page, each with its buttons. */
export function listMessage(input: ListInput): SlackMessage {
  if (input.connections.length > LIST_PAGE_SIZE) {
    throw new Error(
      `${input.connections.length} connections on one page; at most ${LIST_PAGE_SIZE}`,
    );
  }
  if (input.total === 0) {
    return message('This workspace has no Okta connections yet.', [
      section('This workspace has no Okta connections yet. Create one with `/okta-connect new`.'),
    ]);
  }
  const blocks: KnownBlock[] = [header(`Okta connections (${input.total})`)];
  if (input.pageCount > 1) blocks.push(context(`Page ${input.page} of ${input.pageCount}`));
  for (const [i, connection] of input.connections.entries()) {
    if (i > 0) blocks.push(divider());
    blocks.push(
      section(describe(connection, input.now)),
      connectionButtons(connection.id, connection.clientAuthMethod === 'private_key_jwt'),
    );
  }
  blocks.push(...pagingButtons(input.page, input.pageCount, ACTION.listPage, LIST_PAGING_BLOCK));
  return message(
    `Okta connections in this workspace: ${input.total}${input.pageCount > 1 ? ` (page ${input.page} of ${input.pageCount})` : ''}.`,
    blocks,
  );
}

function describe(connection: Connection, now: number): string {
  const lines = [`${bold(connection.nickname, 80)} · ${code(connection.domain, 200)}`];
  const why = statusReason(connection);
  const reason = why ? ` — ${escapeValue(why, 200)}` : '';
  lines.push(`${STATUS[connection.status]}${reason}`);
  if (connection.attention) {
    const { text, scope } = connection.attention;
    const about = scope ? ` (${code(scope, 100)})` : '';
    lines.push(`⚠️ Needs attention${about}: ${escapeValue(text ?? connection.attention.code, 200)}`);
  }
  const granted = connection.grantedScopes.length;
  lines.push(`${granted} scope${granted === 1 ? '' : 's'} granted`);
  const keyPair = keyPairLine(connection);
  if (keyPair) lines.push(keyPair);
  const authorized = authorizedLine(connection, now);
  if (authorized) lines.push(authorized);
  return clipMrkdwn(lines.join('\n'), CONNECTION_TEXT_MAX);
}

function authorizedLine(connection: Connection, now: number): string | null {
  const parts: string[] = [];
  if (connection.authorizedBy) parts.push(`by ${mention(connection.authorizedBy)}`);
  if (connection.authorizedLogin) parts.push(`as ${escapeValue(connection.authorizedLogin, 100)}`);
  if (connection.authorizedAt !== null) parts.push(`on ${when(connection.authorizedAt, now)}`);
  return parts.length === 0 ? null : `Authorized ${parts.join(' ')}`;
}

/** A date, or "today" when it is the same UTC day as `now`. */
function when(at: number, now: number): string {
  const day = utcDate(at);
  return day === utcDate(now) ? `${day} (today)` : day;
}
