import type { types } from '@slack/bolt';
import type { Connection } from '../db/connectionModel.ts';
import type { ApiKeyListing } from '../flows/manageApiKeys.ts';
import { scopeFamily } from '../okta/scopeCatalog.ts';
import { apiKeyHomeBlocks } from './apiKeyViews.ts';
import {
  actions,
  button,
  context,
  divider,
  header,
  homeTab,
  type KnownBlock,
  section,
} from './blocks.ts';
import { connectionButtons, keyPairLine, pagingButtons } from './connectionControls.ts';
import { utcDate, utcTime } from './formatTime.ts';
import { ACTION, HOME_BLOCK } from './ids.ts';
import { failureMessage } from './messages.ts';
import { bold, clipMrkdwn, code, codeList, escapeValue } from './mrkdwn.ts';
import { adminMessageText } from './notices.ts';
import { statusReason } from './statusReason.ts';

/**
 * A page takes at most 6 blocks of its own (header, summary, New connection, page line,
 * Previous, Next), 2 per status group on it (divider, heading; 5 groups) and 2 per
 * connection (details, buttons): 20 connections make at most 56 blocks, well within
 * Slack's 100 for a Home tab, with room for long texts.
 */
export const HOME_PAGE_SIZE = 20;

/** Each connection's text stays short so a page stays readable and light. */
const CONNECTION_TEXT_MAX = 900;

/** What the Home tab groups by, needs-attention first. */
export type HomeGroup = 'needs_reauth' | 'attention' | 'failed' | 'pending' | 'active';

/** The Home tab's groups in their order; the database ranks rows the same way. */
export const GROUP_ORDER: readonly HomeGroup[] = [
  'needs_reauth',
  'attention',
  'failed',
  'pending',
  'active',
];

const GROUP_TITLE: Record<HomeGroup, string> = {
  needs_reauth: '🚨 Needs reauthorization',
  attention: '⚠️ Needs attention',
  failed: '❌ Failed',
  pending: '⏳ Waiting for sign-in at Okta',
  active: '✅ Active',
};

export function homeGroupOf(connection: Connection): HomeGroup {
  switch (connection.status) {
    case 'needs_reauth':
      return 'needs_reauth';
    case 'active':
      return connection.attention ? 'attention' : 'active';
    case 'pending':
      return 'pending';
    default:
      return 'failed';
  }
}

/** Needs-attention groups first, then by nickname: the order of the Home tab's pages. */
export function homeOrder(a: Connection, b: Connection): number {
  const group = GROUP_ORDER.indexOf(homeGroupOf(a)) - GROUP_ORDER.indexOf(homeGroupOf(b));
  if (group !== 0) return group;
  const name = a.nickname.localeCompare(b.nickname, 'en', { sensitivity: 'base' });
  if (name !== 0) return name;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface HomeInput {
  /** One page in `homeOrder`, at most `HOME_PAGE_SIZE`. */
  connections: readonly Connection[];
  /** 1-based. */
  page: number;
  pageCount: number;
  /** How many connections each group has in the whole workspace. */
  counts: Readonly<Record<HomeGroup, number>>;
  now: number;
  /** The workspace's API keys, shown under the connections; none: no section. */
  apiKeys?: readonly ApiKeyListing[];
}

/** The Home tab of someone who may manage connections: the workspace's connections, one page. */
export function homeView(input: HomeInput): types.HomeView {
  if (input.connections.length > HOME_PAGE_SIZE) {
    throw new Error(
      `${input.connections.length} connections on one page; at most ${HOME_PAGE_SIZE}`,
    );
  }
  const total = GROUP_ORDER.reduce((sum, group) => sum + input.counts[group], 0);
  const blocks: KnownBlock[] = [
    header('Okta connections'),
    section(summary(input.counts, total)),
    actions(
      [button({ text: 'New connection', actionId: ACTION.homeNew, style: 'primary' })],
      HOME_BLOCK.new,
    ),
  ];
  const updated = `updated ${utcDate(input.now)} ${utcTime(input.now)}`;
  blocks.push(
    context(
      input.pageCount > 1 ? `Page ${input.page} of ${input.pageCount} · ${updated}` : updated,
    ),
  );
  const offset = (input.page - 1) * HOME_PAGE_SIZE;
  let shown: HomeGroup | null = null;
  for (const connection of input.connections) {
    const group = homeGroupOf(connection);
    if (group !== shown) {
      const continued = shown === null && groupStart(input.counts, group) < offset;
      blocks.push(
        divider(),
        section(
          `*${GROUP_TITLE[group]}* · ${input.counts[group]}${continued ? ' (continued)' : ''}`,
        ),
      );
      shown = group;
    }
    blocks.push(
      section(describe(connection, input.now)),
      connectionButtons(connection.id, connection.clientAuthMethod === 'private_key_jwt'),
    );
  }
  blocks.push(...pagingButtons(input.page, input.pageCount, ACTION.homePage, HOME_BLOCK));
  if (input.apiKeys && input.apiKeys.length > 0) {
    blocks.push(...apiKeyHomeBlocks(input.apiKeys, input.now));
  }
  return homeTab(blocks);
}

/** The Home tab of anyone else: no connection is shown to someone who may not manage them. */
export function restrictedHomeView(code: 'not_allowed' | 'role_unknown'): types.HomeView {
  return homeTab([header('Okta connections'), section(adminMessageText(failureMessage(code)))]);
}

function summary(counts: Readonly<Record<HomeGroup, number>>, total: number): string {
  if (total === 0) {
    return 'This workspace has no Okta connections yet. Create one with *New connection* or `/okta-connect new`.';
  }
  const parts = GROUP_ORDER.filter((group) => counts[group] > 0).map(
    (group) => `${GROUP_TITLE[group]}: ${counts[group]}`,
  );
  return `${total} connection${total === 1 ? '' : 's'} · ${parts.join(' · ')}`;
}

/** Where a group starts in the whole ordered list. */
function groupStart(counts: Readonly<Record<HomeGroup, number>>, group: HomeGroup): number {
  let start = 0;
  for (const earlier of GROUP_ORDER) {
    if (earlier === group) break;
    start += counts[earlier];
  }
  return start;
}

function describe(connection: Connection, now: number): string {
  const lines = [`${bold(connection.nickname, 80)} · ${code(connection.domain, 200)}`];
  const status = statusLine(connection, now);
  if (status) lines.push(status);
  if (connection.attention) {
    const { scope, text } = connection.attention;
    lines.push(
      `⚠️ ${scope ? `Missing ${code(scope, 150)}` : 'Needs attention'}: ${escapeValue(text ?? connection.attention.code, 200)}`,
    );
  }
  lines.push(...scopeLines(connection));
  const keyPair = keyPairLine(connection);
  if (keyPair) lines.push(keyPair);
  lines.push(checkLine(connection, now));
  const error = errorLine(connection, now);
  if (error) lines.push(error);
  return clipMrkdwn(lines.join('\n'), CONNECTION_TEXT_MAX);
}

function statusLine(connection: Connection, now: number): string | null {
  // The same words as the list: a stored code (consent_required) is not what an admin reads.
  const reason = escapeValue(statusReason(connection) ?? '', 200);
  switch (connection.status) {
    case 'needs_reauth':
      return `Needs reauthorization${reason ? `: ${reason}` : ''}`;
    case 'failed':
      return `Authorization failed${reason ? `: ${reason}` : ''}`;
    case 'pending':
      return `Waiting since ${when(connection.createdAt, now)} for the sign-in at Okta`;
    default:
      return null;
  }
}

/** Okta API scopes only: the OIDC ones are granted to every connection alike. */
function scopeLines(connection: Connection): string[] {
  const api = (scopes: readonly string[]) => scopes.filter((s) => scopeFamily(s) !== undefined);
  const requested = api(connection.requestedScopes);
  if (connection.authorizedAt === null) {
    return [`Requests: ${requested.length > 0 ? codeList(requested, 300) : 'no Okta API scope'}`];
  }
  const granted = api(connection.grantedScopes);
  const dropped = requested.filter((scope) => !connection.grantedScopes.includes(scope));
  const lines = [`Granted: ${granted.length > 0 ? codeList(granted, 300) : 'no Okta API scope'}`];
  if (dropped.length > 0) lines.push(`Dropped by Okta: ${codeList(dropped, 200)}`);
  return lines;
}

function checkLine(connection: Connection, now: number): string {
  return connection.lastCheckedAt === null
    ? 'Last check: never'
    : `Last check: ${when(connection.lastCheckedAt, now)}`;
}

function errorLine(connection: Connection, now: number): string | null {
  if (!connection.lastError) return null;
  const error = escapeValue(connection.lastError, 200);
  if (connection.failureCount > 0 && connection.failingSince !== null) {
    const times = `${connection.failureCount} failure${connection.failureCount === 1 ? '' : 's'}`;
    return `Last error: ${error} (${times} since ${when(connection.failingSince, now)})`;
  }
  return connection.lastErrorAt === null
    ? `Last error: ${error}`
    : `Last error: ${error} (${when(connection.lastErrorAt, now)})`;
}

/** `14:05 UTC` today, else `2026-08-20 14:05 UTC`. */
function when(at: number, now: number): string {
  const day = utcDate(at);
  return day === utcDate(now) ? utcTime(at) : `${day} ${utcTime(at)}`;
}
