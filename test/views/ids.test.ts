import { describe, expect, it } from 'vitest';
import {
  ACTION,
  CALLBACK,
  connActionsBlockId,
  HOME_BLOCK,
  INPUT,
  LIST_PAGING_BLOCK,
  ORG_KIND,
  PREREQ,
  SCOPE_MODE,
} from '../../src/views/ids.ts';

/** The handlers route on these strings: changing one is a breaking change. */
describe('the ids the handlers route on', () => {
  it('names the modals', () => {
    expect(CALLBACK).toEqual({
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
    });
  });

  it('names the inputs, with block_id equal to action_id', () => {
    expect(INPUT).toEqual({
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
    });
  });

  it('names the buttons and option values', () => {
    expect(ACTION).toEqual({
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
    });
    expect(ORG_KIND).toEqual({ home: 'home', other: 'other' });
    expect(PREREQ).toEqual({
      assigned: 'assigned',
      scopesGranted: 'scopes_granted',
      superAdmin: 'super_admin',
    });
    expect(SCOPE_MODE).toEqual({ default: 'default', custom: 'custom' });
    expect(LIST_PAGING_BLOCK).toEqual({ previous: 'list_page_previous', next: 'list_page_next' });
    expect(HOME_BLOCK).toEqual({
      new: 'home_new',
      previous: 'home_page_previous',
      next: 'home_page_next',
    });
  });

  it('builds the block_id of a connection’s buttons', () => {
    expect(connActionsBlockId('c0nn-1')).toBe('conn_actions:c0nn-1');
  });

  it('refuses a connection id too long for a block_id', () => {
    expect(() => connActionsBlockId('x'.repeat(250))).toThrow();
  });
});
