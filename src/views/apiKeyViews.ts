import type { types } from '@slack/bolt';
import type { ApiKeyAction } from '../db/apiKeysRepo.ts';
import type { ApiKeyListing } from '../flows/manageApiKeys.ts';
import {
  actions,
  button,
  context,
  divider,
  header,
  type KnownBlock,
  type ModalView,
  message,
  modal,
  option,
  plain,
  type SlackMessage,
  section,
} from './blocks.ts';
import { utcDate, utcTime } from './formatTime.ts';
import { ACTION, CALLBACK, INPUT } from './ids.ts';
import type { AdminMessage } from './messages.ts';
import { code, escapeValue, mention } from './mrkdwn.ts';
import { checkDmModal, simpleNotice } from './notices.ts';

/** What each action lets a key do, in the words of the modal, the list and the key page. */
export const ACTION_WORDS: Record<ApiKeyAction, { label: string; help: string }> = {
  read: { label: 'Read', help: 'GET calls to the Okta Management API through the bot.' },
  write: {
    label: 'Write',
    help: 'Any method (GET, POST, PUT, DELETE) through the Management API proxy.',
  },
  token: {
    label: 'Token',
    help: 'Mint the raw access token: it can do whatever its scopes allow.',
  },
};

/** Expiry choices of the modal, in days; `never` is the last. */
export const EXPIRY_DAYS = ['7', '30', '90', '365', 'never'] as const;
export const ALL_CONNECTIONS = 'all';
/** Slack's limit on a static menu. */
export const MAX_PICKER_OPTIONS = 100;

export function apiKeyModal(input: {
  name: string;
  connections: readonly { id: string; nickname: string }[];
  metadata: string;
}): ModalView {
  const picker: KnownBlock[] =
    input.connections.length === 0
      ? [
          context(
            'This workspace has no connection yet: the key can use all of them, as they come.',
          ),
        ]
      : [
          {
            type: 'input',
            block_id: INPUT.keyConnections,
            optional: true,
            label: plain('Connections', 2000),
            hint: plain(
              'Leave empty to allow every connection of this workspace, present and future.',
              2000,
            ),
            element: {
              type: 'multi_static_select',
              action_id: INPUT.keyConnections,
              placeholder: plain('Choose connections', 150),
              options: input.connections
                .slice(0, MAX_PICKER_OPTIONS)
                .map((connection) => option(connection.nickname, connection.id)),
            },
          },
        ];
  return modal({
    callbackId: CALLBACK.apiKeyNew,
    title: 'New API key',
    close: 'Cancel',
    submit: 'Create key',
    metadata: input.metadata,
    blocks: [
      section(
        `A connection-API key named *${escapeValue(input.name, 80)}*. The key is shown once, on the bot’s own page, behind a link I send you by DM: it never goes into Slack.`,
      ),
      ...picker,
      {
        type: 'input',
        block_id: INPUT.keyActions,
        label: plain('Actions', 2000),
        element: {
          type: 'checkboxes',
          action_id: INPUT.keyActions,
          options: (Object.keys(ACTION_WORDS) as ApiKeyAction[]).map((action) =>
            option(ACTION_WORDS[action].label, action, ACTION_WORDS[action].help),
          ),
        },
      },
      context(
        '*Token* hands the tool the connection’s access token itself: it can then do whatever the token’s scopes allow at Okta, outside the bot’s checks and audit trail.',
      ),
      {
        type: 'input',
        block_id: INPUT.keyExpiry,
        label: plain('Expires', 2000),
        element: {
          type: 'static_select',
          action_id: INPUT.keyExpiry,
          initial_option: option('In 90 days', '90'),
          options: EXPIRY_DAYS.map((days) =>
            option(days === 'never' ? 'Never' : `In ${days} days`, days),
          ),
        },
      },
    ],
  });
}

/** The modal's last view: the rest happens in the DM and on the key page. */
export function apiKeyCheckDmView(name: string): ModalView {
  return checkDmModal([
    `I sent you a direct message with a link to the page that shows the key *${escapeValue(name, 80)}*. The link works once, for 15 minutes.`,
  ]);
}

/** The DM with the single-use link to the key page. */
export function apiKeyLinkMessage(input: {
  name: string;
  url: string;
  expiresAt: number;
}): SlackMessage {
  const name = escapeValue(input.name, 80);
  return message(
    `Your API key ${name} is ready: open the link in this message before ${utcTime(input.expiresAt)}.`,
    [
      section(
        `*Your API key ${name} is ready.* Open the page to see it: it is shown once, there only.`,
      ),
      actions([
        button({
          text: 'Show the key',
          actionId: ACTION.openKeyLink,
          url: input.url,
          style: 'primary',
        }),
      ]),
      context(
        `The link works once, until ${utcTime(input.expiresAt)} (15 minutes). It is meant for you alone: please do not forward it.`,
      ),
    ],
  );
}

function rightsText(listing: ApiKeyListing): string {
  const { record, nicknames } = listing;
  const connections =
    nicknames === null
      ? 'all connections'
      : nicknames.length === 0
        ? 'no connection left'
        : nicknames.map((nickname) => code(nickname, 60)).join(', ');
  return `${connections} · ${record.actions.map((a) => ACTION_WORDS[a].label.toLowerCase()).join(', ')}`;
}

function whenText(at: number): string {
  return `${utcDate(at)} ${utcTime(at)}`;
}

/** One key in a line or two: rights, expiry, last use. */
export function describeApiKey(listing: ApiKeyListing, now: number): string {
  const { record } = listing;
  const expiry =
    record.expiresAt === null
      ? 'never expires'
      : record.expiresAt <= now
        ? `*expired* ${whenText(record.expiresAt)}`
        : `expires ${whenText(record.expiresAt)}`;
  const use =
    record.revealedAt === null
      ? 'key page not opened yet'
      : record.lastUsedAt === null
        ? 'never used'
        : `last used ${whenText(record.lastUsedAt)} from ${code(record.lastUsedIp ?? 'unknown', 60)}`;
  return `*${escapeValue(record.name, 80)}* · ${rightsText(listing)}\n${expiry} · ${use} · by ${mention(record.createdBy)}`;
}

/** `/okta-connect apikey list`. */
export function apiKeyListMessage(listings: readonly ApiKeyListing[], now: number): SlackMessage {
  if (listings.length === 0) {
    return message('No API keys in this workspace.', [
      section('No API keys in this workspace. Create one with `/okta-connect apikey new NAME`.'),
    ]);
  }
  const shown = listings.slice(0, 45);
  const blocks: KnownBlock[] = [
    header('Connection API keys'),
    ...shown.map((listing) => section(describeApiKey(listing, now))),
  ];
  if (listings.length > shown.length)
    blocks.push(context(`${listings.length - shown.length} more not shown.`));
  blocks.push(context('Revoke one with `/okta-connect apikey revoke NAME`.'));
  return message(`${listings.length} API keys in this workspace.`, blocks);
}

/** `block_id` of a key's line in the Home tab. */
export function apiKeyBlockId(keyId: string): string {
  return `apikey:${keyId}`;
}

/** Keys shown in the Home tab; the rest are in `/okta-connect apikey list`. */
const HOME_KEYS = 10;

/** The Home tab's API keys section, each key with a Revoke button. */
export function apiKeyHomeBlocks(listings: readonly ApiKeyListing[], now: number): KnownBlock[] {
  const blocks: KnownBlock[] = [divider(), section(`*API keys* · ${listings.length}`)];
  for (const listing of listings.slice(0, HOME_KEYS)) {
    const name = listing.record.name;
    const revoke: types.Button = {
      ...button({
        text: 'Revoke',
        actionId: ACTION.apiKeyRevoke,
        value: listing.record.id,
        style: 'danger',
      }),
      confirm: {
        title: plain('Revoke this key?', 100),
        text: plain(`Every tool using ${name} is refused from its next request.`, 300),
        confirm: plain('Revoke', 30),
        deny: plain('Cancel', 30),
        style: 'danger',
      },
    };
    blocks.push({
      ...section(describeApiKey(listing, now)),
      block_id: apiKeyBlockId(listing.record.id),
      accessory: revoke,
    });
  }
  const more =
    listings.length > HOME_KEYS
      ? `${listings.length - HOME_KEYS} more in \`/okta-connect apikey list\`. `
      : '';
  blocks.push(context(`${more}New key: \`/okta-connect apikey new NAME\`.`));
  return blocks;
}

/** Answers to the key commands and button, as short notices. */
export function apiKeyNotice(kind: ApiKeyWord, name = ''): SlackMessage {
  return simpleNotice(apiKeyWords(kind, name));
}

type ApiKeyWord =
  | 'revoked'
  | 'not_found'
  | 'usage'
  | 'name_invalid'
  | 'name_taken'
  | 'connection_unknown';

export function apiKeyWords(kind: ApiKeyWord, name: string): AdminMessage {
  switch (kind) {
    case 'revoked':
      return {
        title: `API key ${name} revoked`,
        text: 'Every call with this key is refused from now on, by every replica of the bot.',
        next: 'Give the tool a new key if it still needs one: `/okta-connect apikey new NAME`.',
      };
    case 'not_found':
      return {
        title: 'No such API key',
        text: `This workspace has no API key named ${name} that is not revoked.`,
        next: 'See `/okta-connect apikey list`.',
      };
    case 'name_invalid':
      return {
        title: 'Name this key',
        text: 'A key name is 1 to 40 letters, digits, dots, dashes or underscores, e.g. logs-reader.',
        next: 'Try `/okta-connect apikey new NAME` again.',
      };
    case 'name_taken':
      return {
        title: 'Name in use',
        text: `Another API key of this workspace is named ${name}.`,
        next: 'Choose another name, or revoke the other key first.',
      };
    case 'connection_unknown':
      return {
        title: 'Connection gone',
        text: 'A connection you chose no longer exists in this workspace.',
        next: 'Open `/okta-connect apikey new NAME` again and choose again.',
      };
    case 'usage':
      return {
        title: 'API key commands',
        text: '`/okta-connect apikey new NAME` creates a key, `apikey list` shows them, `apikey revoke NAME` revokes one.',
        next: 'Keys let scripts use connections through the bot’s connection API.',
      };
  }
}

/** Why the key page cannot show a key. */
export function keyPageProblem(code: 'unknown' | 'used' | 'expired' | 'revoked'): AdminMessage {
  switch (code) {
    case 'unknown':
      return {
        title: 'This link is not valid',
        text: 'The bot does not know this key link. It may have been copied incompletely.',
        next: 'Open the link from your DM with the bot.',
      };
    case 'used':
      return {
        title: 'This key was already shown',
        text: 'A key is shown once, and this link has been opened before. The bot does not keep the key, so it cannot show it again.',
        next: 'If you did not save it, revoke it (`/okta-connect apikey revoke NAME`) and create a new one.',
      };
    case 'expired':
      return {
        title: 'This link has expired',
        text: 'Key links work for 15 minutes, and this one is older. No key was made.',
        next: 'Revoke this key (`/okta-connect apikey revoke NAME`) and create a new one.',
      };
    case 'revoked':
      return {
        title: 'This key was revoked',
        text: 'The key was revoked before its page was opened.',
        next: 'Create a new one with `/okta-connect apikey new NAME`.',
      };
  }
}
