import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackPeer, startSlackPeer } from './api/peer.ts';
import { callApi, chars, modal, plain } from './test-support.ts';

let slack: SlackPeer;
beforeEach(async () => {
  slack = await startSlackPeer({ users: [{ id: 'U1' }], channels: [{ id: 'C1' }] });
});
afterEach(() => slack.close());

describe('the stand-in refuses payloads over the limits', () => {
  it('answers views.open with invalid_arguments and Slack-style messages, leaving the trigger unused', async () => {
    const trigger = slack.issueTriggerId();
    const res = await callApi(slack, 'views.open', {
      trigger_id: trigger,
      view: modal({ title: plain(chars(25)) }),
    });
    expect(res.body).toEqual({
      ok: false,
      error: 'invalid_arguments',
      response_metadata: {
        messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'],
      },
    });
    expect(
      (await callApi(slack, 'views.open', { trigger_id: trigger, view: modal() })).body.ok,
    ).toBe(true);
  });

  it('refuses views.update and views.publish payloads too', async () => {
    const opened = await callApi(slack, 'views.open', {
      trigger_id: slack.issueTriggerId(),
      view: modal(),
    });
    const id = (opened.body.view as { id: string }).id;
    const update = await callApi(slack, 'views.update', {
      view_id: id,
      view: modal({ private_metadata: chars(3001) }),
    });
    expect(update.body.error).toBe('invalid_arguments');
    const blocks = Array.from({ length: 101 }, () => ({ type: 'divider' }));
    const publish = await callApi(slack, 'views.publish', {
      user_id: 'U1',
      view: { type: 'home', blocks },
    });
    expect(publish.body.response_metadata).toEqual({
      messages: ['[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]'],
    });
  });

  it('answers chat.postMessage with invalid_blocks, as Slack does for messages', async () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const res = await callApi(slack, 'chat.postMessage', { channel: 'C1', text: 'x', blocks });
    expect(res.body).toEqual({
      ok: false,
      error: 'invalid_blocks',
      errors: ['no more than 50 items allowed [json-pointer:/blocks]'],
      response_metadata: {
        messages: ['[ERROR] no more than 50 items allowed [json-pointer:/blocks]'],
      },
    });
    expect(slack.messagesTo('C1')).toEqual([]);
  });

  it('accepts an option value over 75 characters but records a warning on the call', async () => {
    const element = {
      type: 'static_select',
      action_id: 's',
      options: [{ text: plain('t'), value: chars(76) }],
    };
    const view = modal({ blocks: [{ type: 'input', block_id: 'b', label: plain('L'), element }] });
    const res = await callApi(slack, 'views.open', { trigger_id: slack.issueTriggerId(), view });
    expect(res.body.ok).toBe(true);
    expect(slack.lastCall('views.open')?.warnings).toEqual([
      expect.objectContaining({
        pointer: '/view/blocks/0/element/options/0/value',
        severity: 'warning',
      }),
    ]);
  });
});
