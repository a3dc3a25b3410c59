import { describe, expect, it } from 'vitest';
import {
  connectActive,
  connectionNamed,
  dmCount,
  openModalWith,
  textOf,
} from './connectionSteps.ts';
import { ADMIN, type Harness } from './harness.ts';
import { messageIn, sharedHarness } from './slackChecks.ts';

const REFUSAL = 'Only Okta connection admins can do this';

/** What the bot answered to a click, through the click's response URL. */
async function answerToClick(h: Harness, click: () => Promise<unknown>) {
  const posts = h.slack.responseUrlPosts().length;
  await click();
  const post = await h.slack.waitForResponseUrlPosts(posts + 1);
  return post?.body as { response_type?: string; replace_original?: boolean; text?: string };
}

/** The `attempted` of each permission refusal audited for `userId`, newest first. */
async function refusalsOf(h: Harness, userId: string): Promise<unknown[]> {
  return (await h.bot.flows.audit.list(h.slack.identity.teamId))
    .filter((event) => event.action === 'permission.refused' && event.actor === userId)
    .map((event) => event.details.attempted);
}

describe('a Slack user who is not an admin', () => {
  const harness = sharedHarness();

  it('is refused at the slash command, with an ephemeral answer, and the attempt is audited', async () => {
    const h = harness();
    const plain = h.user('UPLAIN');

    for (const text of ['', 'list', 'delete anything']) {
      const response = await plain.command(text);
      const answer = messageIn(response);
      expect(textOf(answer)).toContain(REFUSAL);
      expect(response.body).not.toMatchObject({ response_type: 'in_channel' });
    }

    expect(h.slack.callCount('views.open')).toBe(0);
    expect(await refusalsOf(h, 'UPLAIN')).toEqual([
      'command delete',
      'command list',
      'command new',
    ]);
  });

  it('is refused at a button in a list an admin got, and the attempt is audited', async () => {
    const h = harness();
    const connection = await connectActive(h, { nickname: 'guarded' });
    const list = messageIn(await h.admin.command('list'));
    const opened = h.slack.callCount('views.open');

    const answer = await answerToClick(h, () =>
      h.user('UPLAIN').clickInMessage(list, `conn_actions:${connection.id}`, 'conn_delete'),
    );

    expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(textOf(answer)).toContain(REFUSAL);
    expect(h.slack.callCount('views.open')).toBe(opened);
    expect((await refusalsOf(h, 'UPLAIN'))[0]).toBe('button delete');
    expect((await connectionNamed(h, 'guarded')).status).toBe('active');
  });

  it('is refused at a modal submission, and the attempt is audited', async () => {
    const h = harness();
    const view = await openModalWith(h, h.admin, 'delete guarded');

    const refused = await h.user('UPLAIN').submit({}, { view });

    expect(refused.outcome).toMatchObject({ kind: 'updated', view: { callback_id: 'notice' } });
    expect(textOf(h.slack.view(view.id) ?? {})).toContain(REFUSAL);
    expect((await refusalsOf(h, 'UPLAIN'))[0]).toBe('delete');
    expect((await connectionNamed(h, 'guarded')).status).toBe('active');
  });

  it('is refused at each step of the create wizard, and no connection is made', async () => {
    const h = harness();
    const prereqs = { prereqs: ['assigned', 'scopes_granted', 'super_admin'] };
    const details = { nickname: 'sneaky', domain: 'acme.okta.com', client_id: '0oa1e2eClient' };
    const orgStep = await openModalWith(h, h.admin, '');
    const detailsStep = (await h.admin.submit(prereqs)).outcome;
    const scopesStep = (await h.admin.submit(details)).outcome;
    const plain = h.user('UPLAIN');

    for (const [view, values] of [
      [orgStep, prereqs],
      ['view' in detailsStep ? detailsStep.view : undefined, details],
      ['view' in scopesStep ? scopesStep.view : undefined, { scope_mode: 'default' }],
    ] as const) {
      if (!view) throw new Error('the wizard did not move on');
      const refused = await plain.submit(values, { view });
      expect(refused.outcome).toMatchObject({ kind: 'updated', view: { callback_id: 'notice' } });
      expect(textOf(h.slack.view(view.id) ?? {})).toContain(REFUSAL);
    }

    expect((await refusalsOf(h, 'UPLAIN')).slice(0, 3)).toEqual([
      'create: permissions step',
      'create: details step',
      'create: org step',
    ]);
    expect(
      await h.bot.flows.connections.findByNickname(h.slack.identity.teamId, 'sneaky'),
    ).toBeNull();
    expect(dmCount(h, 'UPLAIN')).toBe(0);
  });
});

describe('ADMIN_USER_IDS', () => {
  const harness = sharedHarness({ env: { ADMIN_USER_IDS: 'UPLAIN' } });

  it('refuses a workspace admin who is not listed, and audits it', async () => {
    const h = harness();

    const answer = messageIn(await h.admin.command('list'));

    expect(textOf(answer)).toContain(REFUSAL);
    expect(await refusalsOf(h, ADMIN)).toEqual(['command list']);
  });

  it('lets a listed user who is not a workspace admin manage connections', async () => {
    const h = harness();
    const plain = h.user('UPLAIN');

    const answer = messageIn(await plain.command('list'));
    const wizard = await openModalWith(h, plain, 'new');

    expect(textOf(answer)).toContain('no Okta connections yet');
    expect(wizard).toMatchObject({ callback_id: 'connect_org' });
    expect(await refusalsOf(h, 'UPLAIN')).toEqual([]);
  });
});

describe('a second workspace', () => {
  const harness = sharedHarness();
  const OTHER_TEAM = 'T0OTHER';

  /** An admin of another workspace the bot is installed in. */
  function otherAdmin(h: Harness) {
    h.slack.addUser({ id: 'UOTHER', teamId: OTHER_TEAM, isAdmin: true });
    return h.user('UOTHER', OTHER_TEAM);
  }

  it('cannot see the first workspace’s connections', async () => {
    const h = harness();
    await connectActive(h, { nickname: 'team-one' });

    const answer = messageIn(await otherAdmin(h).command('list'));

    expect(textOf(answer)).toContain('no Okta connections yet');
    expect(textOf(answer)).not.toContain('team-one');
  });

  it.each(['reauth', 'scopes', 'delete'])(
    'cannot use “/okta-connect %s” on the first workspace’s connection by name',
    async (word) => {
      const h = harness();

      const answer = messageIn(await otherAdmin(h).command(`${word} team-one`));

      expect(textOf(answer)).toContain('No such connection');
      expect(h.slack.callCount('views.open')).toBe(0);
    },
  );

  it.each(['conn_reauth', 'conn_scopes', 'conn_delete'])(
    'cannot use a %s button that carries the first workspace’s connection id',
    async (action) => {
      const h = harness();
      const connection = await connectionNamed(h, 'team-one');
      const list = messageIn(await h.admin.command('list'));

      const answer = await answerToClick(h, () =>
        otherAdmin(h).clickInMessage(list, `conn_actions:${connection.id}`, action),
      );

      expect(textOf(answer)).toContain('This connection no longer exists');
      expect(h.slack.callCount('views.open')).toBe(0);
    },
  );

  it('cannot delete the first workspace’s connection with a confirmation naming it', async () => {
    const h = harness();
    const connection = await connectionNamed(h, 'team-one');
    const view = await openModalWith(h, h.admin, 'delete team-one');
    const other = otherAdmin(h);
    const before = dmCount(h, 'UOTHER');

    const refused = await other.submit({}, { view });

    expect(refused.outcome).toMatchObject({ kind: 'updated', view: { callback_id: 'notice' } });
    expect(textOf(h.slack.view(view.id) ?? {})).toContain('Connection not found');
    expect(dmCount(h, 'UOTHER')).toBe(before);
    expect(await connectionNamed(h, 'team-one')).toMatchObject({
      id: connection.id,
      status: 'active',
    });
    const secrets = await h.bot.flows.connections.readSecrets(connection.id, ['refreshToken']);
    expect(h.okta.tokenStatus(secrets?.refreshToken ?? '')).toBe('active');
  });

  it('cannot reauthorize the first workspace’s connection with a modal naming it', async () => {
    const h = harness();
    const connection = await connectionNamed(h, 'team-one');
    const view = await openModalWith(h, h.admin, 'reauth team-one');
    const other = otherAdmin(h);
    const before = dmCount(h, 'UOTHER');

    const refused = await other.submit({}, { view });

    expect(refused.outcome).toMatchObject({ kind: 'updated', view: { callback_id: 'notice' } });
    expect(textOf(h.slack.view(view.id) ?? {})).toContain('Connection not found');
    expect(dmCount(h, 'UOTHER')).toBe(before);
    expect(await h.bot.flows.authRequests.findOpenForConnection(connection.id)).toBeNull();
    expect(await connectionNamed(h, 'team-one')).toEqual(connection);
  });
});
