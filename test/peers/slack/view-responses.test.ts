import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackPeer, startSlackPeer } from './api/peer.ts';
import { callApi, chars, modal, plain } from './test-support.ts';

let slack: SlackPeer;
let rootId: string;

beforeEach(async () => {
  slack = await startSlackPeer({ users: [{ id: 'U1' }] });
  const opened = await callApi(slack, 'views.open', {
    trigger_id: slack.issueTriggerId({ userId: 'U1' }),
    view: modal({ callback_id: 'root' }),
  });
  rootId = (opened.body.view as { id: string }).id;
});
afterEach(() => slack.close());

const answer = (body: unknown, status = 200) => ({
  status,
  body,
  text: body === undefined ? '' : JSON.stringify(body),
});

describe('answers to a view_submission, applied as Slack would', () => {
  it('closes the modal on an empty 200', () => {
    expect(slack.applyViewResponse(rootId, answer(undefined))).toEqual({ kind: 'closed' });
    expect(slack.viewStatus(rootId)?.open).toBe(false);
    expect(slack.currentView('U1')).toBeUndefined();
  });

  it('updates the submitted view in place', () => {
    const outcome = slack.applyViewResponse(
      rootId,
      answer({ response_action: 'update', view: modal({ callback_id: 'step2' }) }),
    );
    expect(outcome).toMatchObject({ kind: 'updated', view: { id: rootId, callback_id: 'step2' } });
    expect(slack.currentView('U1')?.callback_id).toBe('step2');
  });

  it('pushes a view, and closing the pushed view goes back to the one below', () => {
    const pushed = slack.applyViewResponse(
      rootId,
      answer({ response_action: 'push', view: modal({ callback_id: 'detail' }) }),
    );
    expect(pushed).toMatchObject({
      kind: 'pushed',
      view: { callback_id: 'detail', previous_view_id: rootId },
    });
    const top = slack.currentView('U1');
    if (!top) throw new Error('nothing pushed');
    expect(slack.applyViewResponse(top.id, answer(undefined))).toEqual({ kind: 'closed' });
    expect(slack.currentView('U1')?.id).toBe(rootId);
  });

  it('refuses a push beyond three views', () => {
    const push = { response_action: 'push', view: modal() };
    slack.applyViewResponse(rootId, answer(push));
    slack.applyViewResponse(rootId, answer(push));
    expect(slack.applyViewResponse(rootId, answer(push))).toEqual({
      kind: 'rejected',
      reason: 'push_limit_reached',
    });
  });

  it('clears the whole stack', () => {
    slack.applyViewResponse(rootId, answer({ response_action: 'push', view: modal() }));
    expect(slack.applyViewResponse(rootId, answer({ response_action: 'clear' }))).toEqual({
      kind: 'cleared',
    });
    expect(slack.viewStack('U1')).toEqual([]);
  });

  it('shows errors keyed by input block_id and keeps the view open', () => {
    const outcome = slack.applyViewResponse(
      rootId,
      answer({ response_action: 'errors', errors: { nickname: 'Taken' } }),
    );
    expect(outcome).toEqual({ kind: 'errors', errors: { nickname: 'Taken' } });
    expect(slack.viewStatus(rootId)).toMatchObject({ open: true, errors: { nickname: 'Taken' } });
  });

  it('rejects errors keyed by a block that is not an input', () => {
    const outcome = slack.applyViewResponse(
      rootId,
      answer({ response_action: 'errors', errors: { header: 'x' } }),
    );
    expect(outcome).toMatchObject({ kind: 'rejected' });
  });

  it('rejects an update that breaks the limits, and a failed HTTP answer', () => {
    const tooLong = slack.applyViewResponse(
      rootId,
      answer({ response_action: 'update', view: modal({ title: plain(chars(25)) }) }),
    );
    expect(tooLong).toMatchObject({
      kind: 'rejected',
      problems: [expect.objectContaining({ pointer: '/view/title/text' })],
    });
    expect(slack.applyViewResponse(rootId, answer(undefined, 404))).toMatchObject({
      kind: 'rejected',
    });
    expect(slack.viewStatus(rootId)?.open).toBe(true);
  });
});
