import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from './api/clock.ts';
import { type SlackPeer, startSlackPeer } from './api/peer.ts';
import { callApi, modal } from './test-support.ts';

let slack: SlackPeer;
afterEach(() => slack.close());

const open = (triggerId: string) =>
  callApi(slack, 'views.open', { trigger_id: triggerId, view: modal() });

describe("views.open with triggers: 'lenient' (benchmarks)", () => {
  it('opens views with a trigger id used before, long expired, or never issued', async () => {
    slack = await startSlackPeer({ clock: manualClock(), triggers: 'lenient' });
    const issued = slack.issueTriggerId({ userId: 'U1' });
    expect((await open(issued)).body.ok).toBe(true);
    expect(slack.currentView('U1')).toBeDefined();
    slack.clock.advance(60_000);
    expect((await open(issued)).body.ok).toBe(true);
    expect((await open('1700000000.1.abcdef')).body.ok).toBe(true);
  });

  it('still refuses a malformed trigger id with invalid_trigger_id', async () => {
    slack = await startSlackPeer({ triggers: 'lenient' });
    expect((await open('not-a-trigger')).body).toEqual({ ok: false, error: 'invalid_trigger_id' });
  });

  it('keeps Slack’s rules by default', async () => {
    slack = await startSlackPeer({ clock: manualClock() });
    const issued = slack.issueTriggerId();
    await open(issued);
    expect((await open(issued)).body.error).toBe('exchanged_trigger_id');
  });
});
