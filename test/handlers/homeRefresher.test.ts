import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import type { PermissionResult } from '../../src/flows/checkPermission.ts';
import { createHomeRefresher } from '../../src/handlers/homeRefresher.ts';
import {
  activeConnection,
  createRepos,
  DATABASE_KINDS,
  type DatabaseKind,
  flowDeps,
  openTestDatabase,
  type Repos,
} from '../db/testDatabase.ts';
import { validateView } from '../peers/slack/index.ts';
import { waitUntil } from '../waitUntil.ts';

const TEAM = 'T_ACME';
const DEBOUNCE_MS = 20;
const MINUTE = 60_000;

/** Slack's views.publish as far as the refresher sees it: what was published, for whom. */
function recordingSlack() {
  const published: { user_id: string; view: types.HomeView }[] = [];
  return {
    published,
    client: {
      views: {
        async publish(args: { user_id: string; view: types.HomeView }) {
          published.push(args);
          return { ok: true };
        },
      },
    },
  };
}

/** A refresher as one process of the bot has it, over `repos`. */
function refresher(repos: Repos, admins: readonly string[]) {
  const flows = flowDeps(repos);
  const slack = recordingSlack();
  const checkPermission = async (userId: string): Promise<PermissionResult> =>
    admins.includes(userId)
      ? { ok: true, via: 'admin_user_ids' }
      : { ok: false, code: 'not_allowed' };
  const home = createHomeRefresher({
    flows,
    checkPermission,
    client: slack.client,
    logger: flows.logger,
    debounceMs: DEBOUNCE_MS,
  });
  return { home, ...slack };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits for a republish to reach Slack, then a little longer for any publish it should not make. */
async function publishedAtLeast(published: readonly unknown[], count: number) {
  await waitUntil(() => published.length >= count, `${count} Home tab publishes`);
  await pause(DEBOUNCE_MS * 2);
}
const shownText = (view: types.HomeView | undefined) => JSON.stringify(view?.blocks ?? []);

describe.each(DATABASE_KINDS)('the Home refresher (%s)', (kind: DatabaseKind) => {
  async function setup(admins: readonly string[] = ['U_ADMIN', 'U_OTHER']) {
    const repos = createRepos(await openTestDatabase(kind));
    return { repos, ...refresher(repos, admins) };
  }

  it('publishes a Home tab within Slack’s limits when one is opened', async () => {
    const { repos, home, published } = await setup();
    await activeConnection(repos, { nickname: 'prod-org' });

    await home.show({ teamId: TEAM, userId: 'U_ADMIN' });

    expect(published).toHaveLength(1);
    expect(published[0]?.user_id).toBe('U_ADMIN');
    expect(shownText(published[0]?.view)).toContain('prod-org');
    expect(validateView(published[0]?.view, { expect: 'home' })).toEqual([]);
  });

  it('republishes once for a burst of changes, for each recent viewer', async () => {
    const { repos, home, published } = await setup();
    const connection = await activeConnection(repos, { nickname: 'prod-org' });
    await home.show({ teamId: TEAM, userId: 'U_ADMIN' });
    await home.show({ teamId: TEAM, userId: 'U_OTHER' });
    published.length = 0;

    await repos.connections.markNeedsReauth(connection.id, 'invalid_grant', 'Okta refused it.');
    for (let i = 0; i < 5; i += 1) home.refresh(TEAM);
    await publishedAtLeast(published, 2);

    expect(published.map((call) => call.user_id).sort()).toEqual(['U_ADMIN', 'U_OTHER']);
    expect(shownText(published[0]?.view)).toContain('Needs reauthorization');
  });

  it('leaves other workspaces and viewers who left long ago alone', async () => {
    const { repos, home, published } = await setup();
    await activeConnection(repos, { nickname: 'prod-org' });
    await home.show({ teamId: TEAM, userId: 'U_ADMIN' });
    repos.clock.advance(16 * MINUTE);
    await home.show({ teamId: TEAM, userId: 'U_OTHER' });
    published.length = 0;

    home.refresh('T_ELSEWHERE');
    home.refresh(TEAM);
    await publishedAtLeast(published, 1);

    expect(published.map((call) => call.user_id)).toEqual(['U_OTHER']);
  });

  it('keeps the page each viewer is on, and shows page 1 when the tab is opened again', async () => {
    const { repos, home, published } = await setup();
    for (let i = 0; i < 25; i += 1) {
      await activeConnection(repos, { nickname: `org-${String(i).padStart(2, '0')}` });
    }
    await home.show({ teamId: TEAM, userId: 'U_ADMIN' }, 2);
    published.length = 0;

    home.refresh(TEAM);
    await publishedAtLeast(published, 1);
    expect(shownText(published[0]?.view)).toContain('Page 2 of 2');

    await home.show({ teamId: TEAM, userId: 'U_ADMIN' });
    expect(shownText(published[1]?.view)).toContain('Page 1 of 2');
  });

  it('shows a non-admin a refusal and never republishes for them', async () => {
    const { repos, home, published } = await setup(['U_ADMIN']);
    await activeConnection(repos, { nickname: 'prod-org' });

    await home.show({ teamId: TEAM, userId: 'U_PLAIN' });
    home.refresh(TEAM);
    await pause(DEBOUNCE_MS * 5);

    expect(published).toHaveLength(1);
    expect(shownText(published[0]?.view)).toContain('Only Okta connection admins');
    expect(shownText(published[0]?.view)).not.toContain('prod-org');
  });

  it('drops pending republishes when stopped', async () => {
    const { repos, home, published } = await setup();
    await activeConnection(repos, { nickname: 'prod-org' });
    await home.show({ teamId: TEAM, userId: 'U_ADMIN' });
    published.length = 0;

    home.refresh(TEAM);
    home.stop();
    await pause(DEBOUNCE_MS * 5);

    expect(published).toHaveLength(0);
  });

  it('republishes for a viewer who opened the tab through another process on the same store', async () => {
    const { repos, home: openedThrough, published: publishedThere } = await setup();
    const other = refresher(repos, ['U_ADMIN', 'U_OTHER']);
    const connection = await activeConnection(repos, { nickname: 'prod-org' });
    await openedThrough.show({ teamId: TEAM, userId: 'U_ADMIN' }, 1);
    expect(publishedThere).toHaveLength(1);

    await repos.connections.markNeedsReauth(connection.id, 'invalid_grant', 'Okta refused it.');
    other.home.refresh(TEAM);
    await publishedAtLeast(other.published, 1);

    expect(other.published.map((call) => call.user_id)).toEqual(['U_ADMIN']);
    expect(shownText(other.published[0]?.view)).toContain('Needs reauthorization');
    expect(publishedThere).toHaveLength(1);
  });

  it('forgets a viewer who lost the right to see the connections', async () => {
    const repos = createRepos(await openTestDatabase(kind));
    const before = refresher(repos, ['U_ADMIN']);
    await activeConnection(repos, { nickname: 'prod-org' });
    await before.home.show({ teamId: TEAM, userId: 'U_ADMIN' });
    const after = refresher(repos, []);

    after.home.refresh(TEAM);
    await publishedAtLeast(after.published, 1);
    after.home.refresh(TEAM);
    await pause(DEBOUNCE_MS * 5);

    expect(after.published).toHaveLength(1);
    expect(shownText(after.published[0]?.view)).toContain('Only Okta connection admins');
    expect(await repos.homeViewers.recent(TEAM, repos.clock())).toEqual([]);
  });
});
