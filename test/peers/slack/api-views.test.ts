import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from './api/clock.ts';
import { type SlackPeer, startSlackPeer } from './api/peer.ts';
import { callApi, modal, plain } from './test-support.ts';

let slack: SlackPeer;

beforeEach(async () => {
  slack = await startSlackPeer({ clock: manualClock(), teamId: 'T1', users: [{ id: 'U1' }] });
});
afterEach(() => slack.close());

const open = (triggerId: string, view = modal()) =>
  callApi(slack, 'views.open', { trigger_id: triggerId, view });

describe('views.open', () => {
  it('opens a modal for the trigger’s user and returns it with an id and a hash', async () => {
    const res = await open(slack.issueTriggerId({ userId: 'U1' }));
    expect(res.body).toMatchObject({
      ok: true,
      view: {
        id: expect.stringMatching(/^V[0-9A-Z]{10}$/),
        team_id: 'T1',
        type: 'modal',
        callback_id: 'connect',
        hash: expect.stringMatching(/^\d+\.[0-9a-f]+$/),
        private_metadata: '',
        state: { values: {} },
        previous_view_id: null,
      },
    });
    const view = res.body.view as { id: string; root_view_id: string };
    expect(view.root_view_id).toBe(view.id);
    expect(slack.currentView('U1')?.id).toBe(view.id);
    expect(slack.lastView()?.id).toBe(view.id);
  });

  it('accepts a trigger until 3 seconds have passed', async () => {
    const trigger = slack.issueTriggerId();
    slack.clock.advance(2999);
    expect((await open(trigger)).body.ok).toBe(true);
  });

  it('refuses a trigger 3 seconds old with expired_trigger_id', async () => {
    const trigger = slack.issueTriggerId();
    slack.clock.advance(3000);
    expect((await open(trigger)).body).toEqual({ ok: false, error: 'expired_trigger_id' });
  });

  it('refuses a trigger used once already with exchanged_trigger_id', async () => {
    const trigger = slack.issueTriggerId();
    await open(trigger);
    expect((await open(trigger)).body).toEqual({ ok: false, error: 'exchanged_trigger_id' });
  });

  it('refuses a trigger it never issued with invalid_trigger_id', async () => {
    expect((await open('123.456.abcdef')).body.error).toBe('invalid_trigger_id');
    expect((await open('not-a-trigger')).body.error).toBe('invalid_trigger_id');
  });

  it('gives blocks without ids the generated block_id and action_id Slack would', async () => {
    const blocks = [
      { type: 'input', label: plain('Domain'), element: { type: 'plain_text_input' } },
    ];
    const res = await open(slack.issueTriggerId(), modal({ blocks }));
    const [block] = (
      res.body.view as { blocks: { block_id: string; element: { action_id: string } }[] }
    ).blocks;
    expect(block?.block_id).toMatch(/^\w{5}$/);
    expect(block?.element.action_id).toMatch(/^\w{5}$/);
  });
});

describe('views.push', () => {
  it('pushes onto the stack of the view the trigger came from, up to 3 views', async () => {
    const root = (await open(slack.issueTriggerId({ userId: 'U1' }))).body.view as { id: string };
    const second = await callApi(slack, 'views.push', {
      trigger_id: slack.issueTriggerId({ userId: 'U1', viewId: root.id }),
      view: modal({ callback_id: 'second' }),
    });
    expect(second.body.view).toMatchObject({ root_view_id: root.id, previous_view_id: root.id });
    const third = await callApi(slack, 'views.push', {
      trigger_id: slack.issueTriggerId({ userId: 'U1', viewId: root.id }),
      view: modal(),
    });
    expect(third.body.ok).toBe(true);
    const fourth = await callApi(slack, 'views.push', {
      trigger_id: slack.issueTriggerId({ userId: 'U1', viewId: root.id }),
      view: modal(),
    });
    expect(fourth.body).toEqual({ ok: false, error: 'push_limit_reached' });
    expect(slack.viewStack('U1')).toHaveLength(3);
  });

  it('needs a fresh trigger', async () => {
    const trigger = slack.issueTriggerId({ userId: 'U1' });
    await open(trigger);
    const res = await callApi(slack, 'views.push', { trigger_id: trigger, view: modal() });
    expect(res.body.error).toBe('exchanged_trigger_id');
  });

  it('answers not_found when no modal is open to push onto', async () => {
    const res = await callApi(slack, 'views.push', {
      trigger_id: slack.issueTriggerId({ userId: 'U1' }),
      view: modal(),
    });
    expect(res.body).toEqual({ ok: false, error: 'not_found' });
  });
});

describe('views.update', () => {
  it('replaces a view by view_id and gives it a new hash', async () => {
    const opened = (await open(slack.issueTriggerId())).body.view as { id: string; hash: string };
    slack.clock.advance(10_000);
    const res = await callApi(slack, 'views.update', {
      view_id: opened.id,
      hash: opened.hash,
      view: modal({ title: plain('Step 2') }),
    });
    expect(res.body.view).toMatchObject({ id: opened.id, title: plain('Step 2') });
    expect((res.body.view as { hash: string }).hash).not.toBe(opened.hash);
  });

  it('finds a view by external_id', async () => {
    await open(slack.issueTriggerId(), modal({ external_id: 'connect-U1' }));
    const res = await callApi(slack, 'views.update', {
      external_id: 'connect-U1',
      view: modal({ callback_id: 'x' }),
    });
    expect(res.body.view).toMatchObject({ external_id: '', callback_id: 'x' });
  });

  it('refuses a stale hash with hash_conflict', async () => {
    const opened = (await open(slack.issueTriggerId())).body.view as { id: string; hash: string };
    await callApi(slack, 'views.update', { view_id: opened.id, hash: opened.hash, view: modal() });
    const stale = await callApi(slack, 'views.update', {
      view_id: opened.id,
      hash: opened.hash,
      view: modal(),
    });
    expect(stale.body).toEqual({ ok: false, error: 'hash_conflict' });
  });

  it('answers not_found for an unknown or closed view', async () => {
    expect(
      (await callApi(slack, 'views.update', { view_id: 'V404', view: modal() })).body.error,
    ).toBe('not_found');
    const opened = (await open(slack.issueTriggerId())).body.view as { id: string };
    slack.closeView(opened.id);
    expect(
      (await callApi(slack, 'views.update', { view_id: opened.id, view: modal() })).body.error,
    ).toBe('not_found');
  });

  it('needs view_id or external_id', async () => {
    expect((await callApi(slack, 'views.update', { view: modal() })).body.error).toBe(
      'invalid_arguments',
    );
  });
});

describe('views.publish', () => {
  const home = { type: 'home', blocks: [{ type: 'section', text: plain('2 connections') }] };

  it('publishes one Home tab per user, keeping its id across publishes', async () => {
    const first = (await callApi(slack, 'views.publish', { user_id: 'U1', view: home })).body
      .view as { id: string };
    const again = await callApi(slack, 'views.publish', { user_id: 'U1', view: home });
    expect((again.body.view as { id: string }).id).toBe(first.id);
    expect(slack.homeView('U1')).toMatchObject({ type: 'home', blocks: home.blocks });
  });

  it('refuses a modal, an unknown user and a stale hash', async () => {
    const modalRes = await callApi(slack, 'views.publish', { user_id: 'U1', view: modal() });
    expect(modalRes.body.error).toBe('invalid_arguments');
    const unknown = await callApi(slack, 'views.publish', { user_id: 'U404', view: home });
    expect(unknown.body).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: { messages: ['invalid `user_id`'] },
    });
    await callApi(slack, 'views.publish', { user_id: 'U1', view: home });
    const stale = await callApi(slack, 'views.publish', {
      user_id: 'U1',
      view: home,
      hash: '1.stale',
    });
    expect(stale.body.error).toBe('hash_conflict');
  });
});
