import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from './api/clock.ts';
import { type SlackPeer, startSlackPeer } from './api/peer.ts';

let slack: SlackPeer;
beforeEach(async () => {
  slack = await startSlackPeer({ clock: manualClock() });
});
afterEach(() => slack.close());

const respond = async (url: string, text: string) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  return { status: res.status, text: await res.text() };
};

describe('response URLs', () => {
  it('records what the bot posts and takes five posts', async () => {
    const url = slack.issueResponseUrl();
    for (let i = 1; i <= 5; i += 1)
      expect(await respond(url, `reply ${i}`)).toEqual({ status: 200, text: 'ok' });
    expect(await respond(url, 'one too many')).toEqual({ status: 404, text: 'used_url' });
    expect(slack.responseUrlPosts(url).map((p) => p.body)).toContainEqual({ text: 'reply 5' });
  });

  it('expires 30 minutes after it was issued', async () => {
    const url = slack.issueResponseUrl();
    slack.clock.advance(30 * 60_000 - 1);
    expect((await respond(url, 'in time')).status).toBe(200);
    slack.clock.advance(1);
    expect(await respond(url, 'late')).toEqual({ status: 404, text: 'expired_url' });
  });

  it('answers 404 for a URL it never issued', async () => {
    expect(
      (await respond(`${slack.apiUrl.replace('/api/', '')}/hooks/response/nope`, 'x')).status,
    ).toBe(404);
  });
});
