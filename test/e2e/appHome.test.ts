import { describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connectionsRepo.ts';
import { findElement, type SlackUser, type ViewOutput } from '../peers/slack/index.ts';
import { dmAbout, dmCount, textOf } from './connectionSteps.ts';
import { ADMIN, CLIENT_ID, type Harness, ORG } from './harness.ts';
import { seedActiveConnections } from './seed.ts';
import { sharedHarness } from './slackChecks.ts';

/** Opens the Home tab; resolves with what Slack shows once the bot has published it. */
async function openHome(h: Harness, user: SlackUser = h.admin, userId = ADMIN) {
  const published = h.slack.callCount('views.publish');
  const response = await user.openHome();
  expect(response.status).toBe(200);
  await h.slack.waitForCalls('views.publish', published + 1);
  return homeOf(h, userId);
}

function homeOf(h: Harness, userId = ADMIN): ViewOutput {
  const home = h.slack.homeView(userId);
  if (!home) throw new Error(`no Home tab for ${userId}`);
  return home;
}

/** Waits for the bot to republish the Home tab on its own (a connection changed). */
async function republished(h: Harness, after: number, userId = ADMIN) {
  await h.slack.waitForCalls('views.publish', after + 1, 10_000);
  return homeOf(h, userId);
}

/** Clicks Previous / Next in the Home tab; resolves with the page Slack then shows. */
async function turnPage(h: Harness, blockId: 'home_page_next' | 'home_page_previous') {
  const published = h.slack.callCount('views.publish');
  await h.admin.clickInHome(blockId, 'home_page');
  await h.slack.waitForCalls('views.publish', published + 1);
  return homeOf(h);
}

type Block = { type: string; block_id?: string; text?: { text?: string } };

function blocksOf(home: ViewOutput): Block[] {
  return (home.blocks ?? []) as Block[];
}

/** The status group headings, in order, without their counts. */
function groupHeadings(home: ViewOutput): string[] {
  return blocksOf(home)
    .filter((block) => block.type === 'section' && /^\*[^*]+\* · \d+/.test(block.text?.text ?? ''))
    .map((block) => /^\*([^*]+)\*/.exec(block.text?.text ?? '')?.[1] ?? '');
}

/** The nicknames shown, in order (each connection's details start with `*nickname* ·`). */
function nicknamesOn(home: ViewOutput): string[] {
  return blocksOf(home)
    .filter((block) => block.type === 'section' && / · `/.test(block.text?.text ?? ''))
    .map((block) => /^\*([^*]+)\*/.exec(block.text?.text ?? '')?.[1] ?? '');
}

const GROUPS = [
  '🚨 Needs reauthorization',
  '⚠️ Needs attention',
  '❌ Failed',
  '⏳ Waiting for sign-in at Okta',
  '✅ Active',
] as const;

type Wanted = 'needs_reauth' | 'attention' | 'failed' | 'pending' | 'active';

/** A connection in the wanted state, straight through the repository (no Okta involved). */
async function makeConnection(h: Harness, nickname: string, wanted: Wanted): Promise<Connection> {
  const repo = h.bot.flows.connections;
  const created = await repo.createPending({
    teamId: h.slack.identity.teamId,
    nickname,
    orgKind: 'other',
    domain: ORG,
    clientId: CLIENT_ID,
    scopeMode: 'custom',
    requestedScopes: ['openid', 'offline_access', 'okta.users.read', 'okta.logs.read'],
    createdBy: ADMIN,
    notifyChannel: 'CALERTS',
  });
  if (!created.ok) throw new Error(`nickname ${nickname} taken`);
  const { id } = created.connection;
  if (wanted === 'pending') return created.connection;
  if (wanted === 'failed') {
    const failed = await repo.markFailed(
      id,
      'consent_required',
      'Okta granted none of the scopes.',
    );
    if (!failed.ok) throw new Error('could not mark failed');
    return failed.connection;
  }
  const active = await repo.markActive(id, {
    grantedScopes: ['openid', 'offline_access', 'okta.users.read'],
    accessToken: `access-${nickname}`,
    refreshToken: `refresh-${nickname}`,
    accessExpiresAt: Date.now() + 3_600_000,
    authorizedSub: '00u1e2e',
    authorizedLogin: 'ada@acme.example',
    authorizedBy: ADMIN,
  });
  if (!active.ok) throw new Error('could not activate');
  if (wanted === 'needs_reauth') {
    const stale = await repo.markNeedsReauth(
      id,
      'invalid_grant',
      'Okta refused the refresh token.',
    );
    if (!stale.ok) throw new Error('could not mark needs_reauth');
    return stale.connection;
  }
  if (wanted === 'attention') {
    const marked = await repo.setAttention(id, {
      code: 'insufficient_scope',
      text: 'Okta answered Insufficient Scope.',
      scope: 'okta.logs.read',
    });
    if (!marked.ok) throw new Error('could not mark attention');
    return marked.connection;
  }
  return active.connection;
}

describe('the App Home tab', () => {
  const harness = sharedHarness();

  it('shows someone who may not manage connections a short refusal, and no connection', async () => {
    const h = harness();
    await makeConnection(h, 'secret-org', 'active');

    const home = await openHome(h, h.user('UPLAIN'), 'UPLAIN');

    expect(textOf(home)).toContain('Only Okta connection admins can do this');
    expect(textOf(home)).not.toContain('secret-org');
    expect(findElement(home.blocks, 'home_new', 'home_new')).toBeUndefined();
  });

  it('groups the connections by status, needing attention first, each with its facts and buttons', async () => {
    const h = harness();
    const made = {
      active: await makeConnection(h, 'a-active', 'active'),
      pending: await makeConnection(h, 'b-pending', 'pending'),
      failed: await makeConnection(h, 'c-failed', 'failed'),
      attention: await makeConnection(h, 'd-attention', 'attention'),
      stale: await makeConnection(h, 'e-stale', 'needs_reauth'),
    };
    await h.bot.flows.connections.recordFailure(made.active.id, 'Okta could not be reached');

    const home = await openHome(h);

    expect(groupHeadings(home)).toEqual([...GROUPS]);
    expect(nicknamesOn(home).filter((name) => /^[a-e]-/.test(name))).toEqual([
      'e-stale',
      'd-attention',
      'c-failed',
      'b-pending',
      'a-active',
    ]);
    const text = textOf(home);
    expect(text).toContain('Needs reauthorization: Okta refused the refresh token.');
    expect(text).toContain('Missing `okta.logs.read`: Okta answered Insufficient Scope.');
    expect(text).toContain('Granted: `okta.users.read`');
    expect(text).toContain('Dropped by Okta: `okta.logs.read`');
    expect(text).toContain('Requests: `okta.users.read` `okta.logs.read`');
    expect(text).toMatch(/Last error: Okta could not be reached \(1 failure since \d\d:\d\d UTC\)/);
    for (const connection of Object.values(made)) {
      for (const action of ['conn_reauth', 'conn_test', 'conn_scopes', 'conn_delete']) {
        expect(
          findElement(home.blocks, `conn_actions:${connection.id}`, action),
          `${action} of ${connection.nickname}`,
        ).toMatchObject({ type: 'button', value: connection.id });
      }
    }
    expect(findElement(home.blocks, 'home_new', 'home_new')).toMatchObject({ type: 'button' });
  });

  it('opens the create wizard from New connection', async () => {
    const h = harness();
    await openHome(h);
    const opened = h.slack.callCount('views.open');

    await h.admin.clickInHome('home_new', 'home_new');
    await h.slack.waitForCalls('views.open', opened + 1);

    expect(h.admin.currentView()).toMatchObject({ callback_id: 'connect_org' });
  });

  it('tests a connection from its Test button: the result comes by DM, and the Home tab follows', async () => {
    const h = harness();
    const [connection] = await seedActiveConnections(h, 1, {
      prefix: 'home-test',
      scopes: ['openid', 'offline_access', 'okta.users.read', 'okta.logs.read'],
    });
    if (!connection) throw new Error('no connection seeded');
    const home = await openHome(h);
    expect(textOf(home)).toContain('home-test-0');
    const dms = dmCount(h);
    const published = h.slack.callCount('views.publish');

    await h.admin.clickInHome(`conn_actions:${connection.id}`, 'conn_test');

    const dm = await dmAbout(h, dms, 'Test of home-test-0');
    expect(textOf(dm)).toContain('3 of 3 calls to Okta worked');
    const after = await republished(h, published);
    expect(nicknamesOn(after)).toContain('home-test-0');
  });

  it('republishes the Home tab without a connection deleted from it', async () => {
    const h = harness();
    const [connection] = await seedActiveConnections(h, 1, { prefix: 'home-delete' });
    if (!connection) throw new Error('no connection seeded');
    await openHome(h);
    const opened = h.slack.callCount('views.open');
    await h.admin.clickInHome(`conn_actions:${connection.id}`, 'conn_delete');
    await h.slack.waitForCalls('views.open', opened + 1);
    expect(h.admin.currentView()).toMatchObject({ callback_id: 'delete_confirm' });
    const published = h.slack.callCount('views.publish');

    await h.admin.submit({});

    const after = await republished(h, published);
    expect(textOf(after)).not.toContain('home-delete-0');
    expect(
      await h.bot.flows.connections.findById(h.slack.identity.teamId, connection.id),
    ).toBeNull();
  });
});

/**
 * 250 connections whose names do not sort by status: 40 need reauthorization, 10 need
 * attention, 10 failed, 50 are pending and 140 active, 13 pages of 20.
 */
async function make250(h: Harness): Promise<void> {
  if ((await h.bot.flows.connections.countByTeam(h.slack.identity.teamId)) > 0) return;
  const states: Wanted[] = ['active', 'active', 'needs_reauth', 'active', 'pending'];
  for (let i = 0; i < 250; i += 1) {
    const wanted =
      i % 25 === 7 ? 'attention' : i % 25 === 11 ? 'failed' : (states[i % 5] as Wanted);
    await makeConnection(h, `org-${String(249 - i).padStart(3, '0')}`, wanted);
  }
}

describe('the App Home tab of a workspace with 250 connections', () => {
  const harness = sharedHarness();

  it('stays within 100 blocks by paging, every connection on exactly one page, in group order', async () => {
    const h = harness();
    await make250(h);

    let home = await openHome(h);
    const seen: string[] = [];
    const headings: string[] = [];
    for (let page = 1; ; page += 1) {
      expect(home.blocks?.length).toBeLessThanOrEqual(100);
      expect(textOf(home)).toContain(`Page ${page} of 13`);
      seen.push(...nicknamesOn(home));
      headings.push(...groupHeadings(home));
      if (!findElement(home.blocks, 'home_page_next', 'home_page')) break;
      home = await turnPage(h, 'home_page_next');
    }

    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    // Each group heading shows up on the pages it spans, in order.
    const order = [...new Set(headings)];
    expect(order).toEqual([...GROUPS]);
    expect(h.slack.calls('views.publish').every((call) => call.response.ok === true)).toBe(true);

    const previous = await turnPage(h, 'home_page_previous');
    expect(textOf(previous)).toContain('Page 12 of 13');
    expect(textOf(previous)).toContain('(continued)');
  });

  it('keeps the page a viewer is on when it republishes after a change', async () => {
    const h = harness();
    await make250(h);
    await openHome(h);
    const page2 = await turnPage(h, 'home_page_next');
    expect(textOf(page2)).toContain('Page 2 of 13');
    const [shown] = nicknamesOn(page2);
    const connection = await h.bot.flows.connections.findByNickname(
      h.slack.identity.teamId,
      shown ?? '',
    );
    if (!connection) throw new Error(`no connection ${shown}`);
    const published = h.slack.callCount('views.publish');
    const dms = dmCount(h);

    await h.admin.clickInHome(`conn_actions:${connection.id}`, 'conn_test');

    await dmAbout(h, dms, shown ?? '');
    const after = await republished(h, published);
    expect(textOf(after)).toContain('Page 2 of 13');
  });
});
