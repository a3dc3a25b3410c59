import { describe, expect, it } from 'vitest';
import { CLIENT_ID, type Harness, ORG } from './harness.ts';
import { sharedHarness } from './slackChecks.ts';

/** The command and the first two steps, up to the permissions step with its scope picker. */
async function toPermissionsStep(h: Harness, nickname: string) {
  const opened = h.slack.callCount('views.open');
  expect((await h.admin.command('')).status).toBe(200);
  await h.slack.waitForCalls('views.open', opened + 1);
  await h.admin.submit({ prereqs: ['assigned', 'scopes_granted', 'super_admin'] });
  const details = await h.admin.submit({ nickname, domain: ORG, client_id: CLIENT_ID });
  expect(details.outcome).toMatchObject({
    kind: 'pushed',
    view: { callback_id: 'connect_scopes' },
  });
}

const search = (h: Harness, typed: string) => h.admin.search('scope_pick', 'scope_pick', typed);

describe('the scope picker’s search', () => {
  const harness = sharedHarness();

  it('offers the start of the catalog when opened and narrows it as the admin types', async () => {
    const h = harness();
    await toPermissionsStep(h, 'search-open');
    const opened = await search(h, '');
    expect(opened.response.status).toBe(200);
    expect(opened.offered).toHaveLength(100);
    expect(opened.offered[0]?.value).toBe('openid');

    const users = await search(h, 'users READ');
    const values = users.offered.map((o) => o.value);
    expect(values).toContain('okta.users.read');
    expect(values).not.toContain('okta.users.manage');
    expect(values.length).toBeLessThan(10);

    const nothing = await search(h, 'no-such-scope');
    expect(nothing.offered).toEqual([]);
    expect(JSON.parse(nothing.response.text)).toEqual({ options: [] });
  });

  it('requests exactly the scopes picked from its answers', async () => {
    const h = harness();
    await toPermissionsStep(h, 'search-pick');
    const picked = [
      (await search(h, 'logs')).offered.find((o) => o.value === 'okta.logs.read')?.value,
      (await search(h, 'groups manage')).offered.find((o) => o.value === 'okta.groups.manage')
        ?.value,
    ];
    expect(picked).toEqual(['okta.logs.read', 'okta.groups.manage']);
    const done = await h.admin.submit({ scope_mode: 'custom', scope_pick: picked as string[] });
    expect(done.outcome).toMatchObject({ kind: 'updated', view: { callback_id: 'connect_done' } });
    const pending = await h.bot.flows.connections.findByNickname(
      h.slack.identity.teamId,
      'search-pick',
    );
    expect(pending?.requestedScopes).toEqual([
      'openid',
      'offline_access',
      'okta.groups.manage',
      'okta.logs.read',
    ]);
  });

  it('answers whatever is typed, however long or odd, within Slack’s limits', async () => {
    const h = harness();
    await toPermissionsStep(h, 'search-odd');
    for (const typed of ['x'.repeat(5000), '<!channel> *', '\u0000\u202e', '   ', 'ÜSERS']) {
      const answer = await search(h, typed);
      expect(answer.response.status, typed.slice(0, 20)).toBe(200);
    }
    expect((await search(h, '   ')).offered).toHaveLength(100);
  });
});
