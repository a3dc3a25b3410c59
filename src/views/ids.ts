/**
 * The identifiers the handlers route on. Views and handlers both import them from here,
 * so a renamed id cannot leave a listener waiting for a payload that never comes.
 */

/** `callback_id` of each modal. */
export const CALLBACK = {
  connectOrg: 'connect_org',
  connectDetails: 'connect_details',
  connectScopes: 'connect_scopes',
  reauthScopes: 'reauth_scopes',
  editScopes: 'edit_scopes',
  connectDone: 'connect_done',
  notice: 'notice',
  deleteConfirm: 'delete_confirm',
  rename: 'rename_connection',
  apiKeyNew: 'apikey_new',
} as const;

/**
 * Every input block uses the same string as `block_id` and as its element's `action_id`,
 * so a value is read as `view.state.values[INPUT.x][INPUT.x]`.
 */
export const INPUT = {
  orgKind: 'org_kind',
  prereqs: 'prereqs',
  nickname: 'nickname',
  domain: 'domain',
  clientId: 'client_id',
  clientAuth: 'client_auth',
  notifyChannel: 'notify_channel',
  scopeMode: 'scope_mode',
  scopePick: 'scope_pick',
  scopeText: 'scope_text',
  newNickname: 'new_nickname',
  keyConnections: 'key_connections',
  keyActions: 'key_actions',
  keyExpiry: 'key_expiry',
} as const;

/** `action_id` of the buttons in messages. */
export const ACTION = {
  openSetupLink: 'open_setup_link',
  connReauth: 'conn_reauth',
  connTest: 'conn_test',
  connScopes: 'conn_scopes',
  connDelete: 'conn_delete',
  connRename: 'conn_rename',
  connRotateKey: 'conn_rotate_key',
  keyRotationConfirm: 'key_rotation_confirm',
  keyRotationCancel: 'key_rotation_cancel',
  listPage: 'list_page',
  homeNew: 'home_new',
  homePage: 'home_page',
  openKeyLink: 'open_key_link',
  apiKeyRevoke: 'apikey_revoke',
} as const;

/** Option values of the org radio buttons. */
export const ORG_KIND = { home: 'home', other: 'other' } as const;

/** Option values of the prerequisite checkboxes; all three must be ticked to go on. */
export const PREREQ = {
  assigned: 'assigned',
  scopesGranted: 'scopes_granted',
  superAdmin: 'super_admin',
} as const;
export type Prereq = (typeof PREREQ)[keyof typeof PREREQ];

/** Option values of the client authentication radio buttons: Okta's method names. */
export const CLIENT_AUTH = {
  keyPair: 'private_key_jwt',
  secret: 'client_secret_basic',
} as const;

/** Option values of the scope mode radio buttons. */
export const SCOPE_MODE = { default: 'default', custom: 'custom' } as const;

/** `block_id`s of the Previous / Next buttons (action `list_page`) under the connection list. */
export const LIST_PAGING_BLOCK = {
  previous: 'list_page_previous',
  next: 'list_page_next',
} as const;

/** `block_id`s of the Home tab's own buttons: New connection, and Previous / Next (`home_page`). */
export const HOME_BLOCK = {
  new: 'home_new',
  previous: 'home_page_previous',
  next: 'home_page_next',
} as const;

const CONN_ACTIONS_PREFIX = 'conn_actions:';
const MAX_IDENTIFIER = 255;

/** `block_id` of the buttons under one connection in the list: `conn_actions:{id}`. */
export function connActionsBlockId(connectionId: string): string {
  const blockId = `${CONN_ACTIONS_PREFIX}${connectionId}`;
  if (blockId.length > MAX_IDENTIFIER) {
    throw new Error(`connection id too long for a block_id (${connectionId.length} characters)`);
  }
  return blockId;
}
