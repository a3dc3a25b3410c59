import { describe, expect, it } from 'vitest';
import { type FillValues, findElement } from '../peers/slack/index.ts';
import {
  connectActive,
  connectionNamed,
  dmAbout,
  dmCount,
  openModalWith,
  storedRow,
  textOf,
} from './connectionSteps.ts';
import { ADMIN, type Harness, ORG } from './harness.ts';
import { authorizeInBrowser, linkIn } from './journey.ts';
import { messageIn, sharedHarness } from './slackChecks.ts';

/** `reauth NAME` or `scopes NAME`, the modal submitted with `values`, and the link DM'd. */
async function reauthorizationLink(
  h: Harness,
  command: string,
  nickname: string,
  values: FillValues = {},
) {
  await openModalWith(h, h.admin, `${command} ${nickname}`);
  const before = dmCount(h);
  const submitted = await h.admin.submit(values);
  expect(submitted.outcome).toMatchObject({
    kind: 'updated',
    view: { callback_id: 'connect_done' },
  });
  return linkIn(await dmAbout(h, before, `Reauthorize ${nickname}`));
}

/** The setup page with the stored secret kept, then Okta, then the callback. */
async function finishReauthorization(h: Harness, link: string, nickname: string) {
  const before = dmCount(h);
  const { setup, callback } = await authorizeInBrowser(h, link, { secret: '' });
  expect(callback.status).toBe(200);
  await dmAbout(h, before, `${nickname} is reauthorized`);
  return { setup, callback };
}

/** The value of each option preselected in the modal's scope menu. */
function preselectedScopes(view: { blocks?: unknown }): string[] {
  const blocks = (view.blocks ?? []) as {
    block_id?: string;
    element?: { initial_options?: { value: string }[] };
  }[];
  const menu = blocks.find((block) => block.block_id === 'scope_pick');
  return (menu?.element?.initial_options ?? []).map((option) => option.value);
}

describe('listing connections', () => {
  const harness = sharedHarness();

  it('answers an empty workspace with how to create the first connection', async () => {
    const h = harness();

    const list = messageIn(await h.admin.command('list'));

    expect(textOf(list)).toContain('no Okta connections yet');
    expect(textOf(list)).toContain('/okta-connect new');
  });

  it('lists each connection with its domain, status, granted scopes, who authorized it and its buttons', async () => {
    const h = harness();
    const active = await connectActive(h, {
      nickname: 'acme-prod',
      scopeMode: 'custom',
      pick: ['okta.users.read', 'okta.groups.read'],
    });

    const response = await h.admin.command('list');

    expect(response.body).toMatchObject({ response_type: 'ephemeral' });
    const list = messageIn(response);
    const text = textOf(list);
    expect(text).toContain('acme-prod');
    expect(text).toContain(ORG);
    expect(text).toContain('Active');
    expect(text).toContain(`${active.grantedScopes.length} scopes granted`);
    expect(text).toContain(`Authorized by <@${ADMIN}> as ada@acme.example`);
    for (const action of ['conn_reauth', 'conn_test', 'conn_scopes', 'conn_delete']) {
      expect(findElement(list.blocks, `conn_actions:${active.id}`, action)).toMatchObject({
        type: 'button',
        value: active.id,
      });
    }
  });
});

describe('listing more connections than one message holds', () => {
  const harness = sharedHarness();

  it('pages past 15 connections with a Next button, and back with Previous', async () => {
    const h = harness();
    for (let i = 1; i <= 20; i += 1) {
      await h.bot.flows.connections.createPending({
        teamId: h.slack.identity.teamId,
        nickname: `org-${String(i).padStart(2, '0')}`,
        orgKind: 'other',
        domain: ORG,
        clientId: '0oa1e2eClient',
        scopeMode: 'default',
        requestedScopes: ['openid', 'okta.users.read'],
        createdBy: ADMIN,
      });
    }

    const first = messageIn(await h.admin.command('list'));

    expect(textOf(first)).toContain('Page 1 of 2');
    expect(textOf(first)).toContain('org-15');
    expect(textOf(first)).not.toContain('org-16');
    expect(first.blocks?.length).toBeLessThanOrEqual(50);

    const posts = h.slack.responseUrlPosts().length;
    await h.admin.clickInMessage(first, 'list_page_next', 'list_page');
    const next = await h.slack.waitForResponseUrlPosts(posts + 1);
    const second = next?.body as { replace_original?: boolean; text?: string; blocks?: unknown[] };

    expect(second.replace_original).toBe(true);
    expect(textOf(second)).toContain('Page 2 of 2');
    expect(textOf(second)).toContain('org-16');
    expect(textOf(second)).toContain('org-20');
    expect(textOf(second)).not.toContain('org-15');

    await h.admin.clickInMessage(
      { ...first, blocks: second.blocks, text: second.text },
      'list_page_previous',
      'list_page',
    );
    const back = await h.slack.waitForResponseUrlPosts(posts + 2);

    expect(textOf(back?.body as { text?: string })).toContain('Page 1 of 2');
  });
});

describe('reauthorizing and editing scopes', () => {
  const harness = sharedHarness();

  it('reauthorizes with the current scopes preselected and inherited: same connection, new tokens', async () => {
    const h = harness();
    const before = await connectActive(h, {
      nickname: 'reauth-same',
      scopeMode: 'custom',
      pick: ['okta.users.read', 'okta.groups.read'],
    });
    const oldTokens = await h.bot.flows.connections.readSecrets(before.id, ['accessToken']);

    const modal = await openModalWith(h, h.admin, 'reauth reauth-same');

    expect(modal).toMatchObject({ callback_id: 'reauth_scopes' });
    expect(textOf(modal)).toContain('Unchanged scopes are inherited');
    expect(preselectedScopes(modal).sort()).toEqual([...before.requestedScopes].sort());
    expect(before.requestedScopes).toContain('okta.groups.read');

    const beforeDm = dmCount(h);
    const submitted = await h.admin.submit();
    expect(submitted.outcome).toMatchObject({
      kind: 'updated',
      view: { callback_id: 'connect_done' },
    });
    const link = linkIn(await dmAbout(h, beforeDm, 'Reauthorize reauth-same'));
    const { setup } = await finishReauthorization(h, link, 'reauth-same');

    expect(setup.body).toContain('okta.groups.read');
    const after = await connectionNamed(h, 'reauth-same');
    expect(after).toMatchObject({
      id: before.id,
      status: 'active',
      requestedScopes: before.requestedScopes,
      grantedScopes: before.grantedScopes,
      hasClientSecret: true,
    });
    expect(after.version).toBeGreaterThan(before.version);
    const newTokens = await h.bot.flows.connections.readSecrets(before.id, ['accessToken']);
    expect(newTokens?.accessToken).toBeTruthy();
    expect(newTokens?.accessToken).not.toBe(oldTokens?.accessToken);
    expect(
      await (await h.bot.flows.audit.list(h.slack.identity.teamId, { connectionId: before.id }))[0],
    ).toMatchObject({ action: 'connection.reauthorized', actor: ADMIN });
  });

  it('reauthorizes with changed scopes, which replace the old ones once Okta grants them', async () => {
    const h = harness();
    const before = await connectActive(h, {
      nickname: 'reauth-more',
      scopeMode: 'custom',
      pick: ['okta.users.read'],
    });

    const link = await reauthorizationLink(h, 'reauth', 'reauth-more', {
      scope_mode: 'custom',
      scope_pick: ['okta.users.read', 'okta.logs.read'],
    });

    expect((await connectionNamed(h, 'reauth-more')).requestedScopes).toEqual(
      before.requestedScopes,
    );
    await finishReauthorization(h, link, 'reauth-more');
    const after = await connectionNamed(h, 'reauth-more');
    expect(after).toMatchObject({ id: before.id, status: 'active' });
    expect(after.requestedScopes).toContain('okta.logs.read');
    expect(after.grantedScopes).toContain('okta.logs.read');
  });

  it('marks the connection needs_reauth when its scopes are edited, and reauthorizing makes it active with them', async () => {
    const h = harness();
    const before = await connectActive(h, {
      nickname: 'edit-me',
      scopeMode: 'custom',
      pick: ['okta.users.read'],
    });

    const modal = await openModalWith(h, h.admin, 'scopes edit-me');
    expect(modal).toMatchObject({ callback_id: 'edit_scopes' });
    const beforeDm = dmCount(h);
    const saved = await h.admin.submit({
      scope_mode: 'custom',
      scope_pick: ['okta.users.read', 'okta.groups.read'],
    });
    expect(saved.outcome).toMatchObject({ kind: 'updated' });

    const edited = await connectionNamed(h, 'edit-me');
    expect(edited).toMatchObject({
      id: before.id,
      status: 'needs_reauth',
      statusCode: 'scopes_changed',
    });
    expect(edited.requestedScopes).toContain('okta.groups.read');
    expect(edited.grantedScopes).not.toContain('okta.groups.read');

    const link = linkIn(await dmAbout(h, beforeDm, 'Reauthorize edit-me'));
    await finishReauthorization(h, link, 'edit-me');

    const after = await connectionNamed(h, 'edit-me');
    expect(after).toMatchObject({ id: before.id, status: 'active', statusCode: null });
    expect(after.grantedScopes).toContain('okta.groups.read');
  });

  it('opens the same reauthorization from the Reauthorize button of the list', async () => {
    const h = harness();
    const connection = await connectActive(h, { nickname: 'from-list' });
    const list = messageIn(await h.admin.command('list'));
    const opened = h.slack.callCount('views.open');

    await h.admin.clickInMessage(list, `conn_actions:${connection.id}`, 'conn_reauth');
    await h.slack.waitForCalls('views.open', opened + 1);

    expect(h.admin.currentView()).toMatchObject({ callback_id: 'reauth_scopes' });
    const before = dmCount(h);
    await h.admin.submit();
    const link = linkIn(await dmAbout(h, before, 'Reauthorize from-list'));
    await finishReauthorization(h, link, 'from-list');
    expect(await connectionNamed(h, 'from-list')).toMatchObject({
      id: connection.id,
      status: 'active',
    });
  });

  it('tells a second admin that the connection is already being reauthorized', async () => {
    const h = harness();
    await connectActive(h, { nickname: 'contested' });
    const link = await reauthorizationLink(h, 'reauth', 'contested');
    const second = h.user('UADMIN2');

    await openModalWith(h, second, 'reauth contested');
    const refused = await second.submit();

    expect(refused.outcome).toMatchObject({ kind: 'updated', view: { callback_id: 'notice' } });
    const notice = textOf(second.currentView());
    expect(notice).toContain('Already being reauthorized');
    expect(notice).toContain(ADMIN);
    expect(dmCount(h, 'UADMIN2')).toBe(0);

    await finishReauthorization(h, link, 'contested');
    expect((await connectionNamed(h, 'contested')).status).toBe('active');
  });
});

describe('deleting a connection', () => {
  const harness = sharedHarness();

  /** `delete NAME`, then Delete in the confirmation; resolves with the result DM. */
  async function deleteByName(h: Harness, nickname: string) {
    const modal = await openModalWith(h, h.admin, `delete ${nickname}`);
    expect(modal).toMatchObject({ callback_id: 'delete_confirm' });
    const before = dmCount(h);
    const confirmed = await h.admin.submit();
    expect(confirmed.outcome).toMatchObject({ kind: 'updated', view: { callback_id: 'notice' } });
    return textOf(await dmAbout(h, before, nickname));
  }

  it('revokes the tokens at Okta, then erases the secrets and marks the connection deleted', async () => {
    const h = harness();
    const connection = await connectActive(h, { nickname: 'doomed' });
    const secrets = await h.bot.flows.connections.readSecrets(connection.id, [
      'accessToken',
      'refreshToken',
    ]);
    const accessToken = secrets?.accessToken ?? '';
    const refreshToken = secrets?.refreshToken ?? '';
    expect(h.okta.tokenStatus(refreshToken)).toBe('active');

    const dm = await deleteByName(h, 'doomed');

    expect(dm).toContain('Deleted doomed');
    expect(h.okta.tokenStatus(accessToken)).toBe('revoked');
    expect(h.okta.tokenStatus(refreshToken)).toBe('revoked');
    expect(storedRow(h, connection.id)).toEqual({
      status: 'deleted',
      statusCode: null,
      sealed: { clientSecret: false, accessToken: false, refreshToken: false },
    });
    expect(
      await h.bot.flows.connections.findById(h.slack.identity.teamId, connection.id),
    ).toBeNull();
    expect(textOf(messageIn(await h.admin.command('list')))).not.toContain('doomed');
    expect(
      await (
        await h.bot.flows.audit.list(h.slack.identity.teamId, { connectionId: connection.id })
      )[0],
    ).toMatchObject({ action: 'connection.deleted', actor: ADMIN, details: { revoked: 2 } });
  });

  it('asks first from the Delete button of the list, and Keep it changes nothing', async () => {
    const h = harness();
    const connection = await connectActive(h, { nickname: 'kept' });
    const list = messageIn(await h.admin.command('list'));
    const opened = h.slack.callCount('views.open');

    await h.admin.clickInMessage(list, `conn_actions:${connection.id}`, 'conn_delete');
    await h.slack.waitForCalls('views.open', opened + 1);
    const modal = h.admin.currentView();
    await h.admin.dismiss();

    expect(modal).toMatchObject({ callback_id: 'delete_confirm' });
    expect(textOf(modal)).toContain('kept');
    expect(await connectionNamed(h, 'kept')).toEqual(connection);
  });

  it('deletes nothing when Okta cannot revoke the tokens, and says so', async () => {
    const h = harness();
    const connection = await connectActive(h, { nickname: 'survivor' });
    const secrets = await h.bot.flows.connections.readSecrets(connection.id, ['refreshToken']);
    h.okta.injectFault('/oauth2/v1/revoke', { kind: 'status', status: 503 });

    const dm = await deleteByName(h, 'survivor').finally(() => h.okta.clearFaults());

    expect(dm).toContain('survivor was not deleted');
    expect(dm).toContain('Try again');
    expect(await connectionNamed(h, 'survivor')).toMatchObject({
      id: connection.id,
      status: 'active',
    });
    expect(storedRow(h, connection.id).sealed).toEqual({
      clientSecret: true,
      accessToken: true,
      refreshToken: true,
    });
    expect(h.okta.tokenStatus(secrets?.refreshToken ?? '')).toBe('active');
  });
});

describe('help', () => {
  const harness = sharedHarness();

  it.each(['help', 'frobnicate', 'reauth'])(
    'answers “/okta-connect %s” with the commands, one line each',
    async (text) => {
      const h = harness();

      const help = textOf(messageIn(await h.admin.command(text)));

      for (const command of ['list', 'test NAME', 'reauth NAME', 'scopes NAME', 'delete NAME']) {
        expect(help).toContain(`/okta-connect ${command}`);
      }
      expect(h.slack.callCount('views.open')).toBe(0);
    },
  );

  it('says so when a command names a connection that does not exist', async () => {
    const h = harness();

    const answer = textOf(messageIn(await h.admin.command('delete nosuch')));

    expect(answer).toContain('No such connection');
    expect(answer).toContain('nosuch');
    expect(h.slack.callCount('views.open')).toBe(0);
  });
});
