import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackPeer, type SlackPeerOptions, startSlackPeer } from './api/peer.ts';
import { callApi } from './test-support.ts';

let slack: SlackPeer;
const start = async (options: SlackPeerOptions = {}) => {
  slack = await startSlackPeer({ users: [{ id: 'U1' }], ...options });
};
afterEach(() => slack.close());

describe('rate limiting', () => {
  beforeEach(() => start());

  it('answers 429 with Retry-After while switched on, then recovers', async () => {
    slack.rateLimit('chat.postMessage', { retryAfterSeconds: 7, times: 2 });
    const first = await callApi(slack, 'chat.postMessage', { channel: 'U1', text: 'x' });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(first.body).toEqual({ ok: false, error: 'ratelimited' });
    expect((await callApi(slack, 'chat.postMessage', { channel: 'U1', text: 'x' })).status).toBe(
      429,
    );
    expect((await callApi(slack, 'chat.postMessage', { channel: 'U1', text: 'x' })).body.ok).toBe(
      true,
    );
    expect(slack.calls('chat.postMessage').map((c) => c.status)).toEqual([429, 429, 200]);
  });

  it('only limits the method it was switched on for', async () => {
    slack.rateLimit('chat.postMessage', { times: Infinity });
    expect((await callApi(slack, 'auth.test')).status).toBe(200);
    slack.rateLimit('chat.postMessage', { times: 0 });
    expect((await callApi(slack, 'chat.postMessage', { channel: 'U1', text: 'x' })).status).toBe(
      200,
    );
  });

  it('makes a real WebClient wait and retry, or throw when told to reject', async () => {
    slack.rateLimit('auth.test', { retryAfterSeconds: 0 });
    const retrying = new webApi.WebClient('xoxb-test', {
      slackApiUrl: slack.apiUrl,
      retryConfig: webApi.retryPolicies.rapidRetryPolicy,
      logLevel: webApi.LogLevel.ERROR,
    });
    expect((await retrying.auth.test()).ok).toBe(true);

    slack.rateLimit('auth.test', { retryAfterSeconds: 30 });
    const rejecting = new webApi.WebClient('xoxb-test', {
      slackApiUrl: slack.apiUrl,
      rejectRateLimitedCalls: true,
    });
    await expect(rejecting.auth.test()).rejects.toMatchObject({
      code: webApi.ErrorCode.RateLimitedError,
      retryAfter: 30,
    });
  });
});

describe('injected failures', () => {
  beforeEach(() => start());

  it('answers the next calls with the given error', async () => {
    slack.failNext('users.info', 'fatal_error');
    expect((await callApi(slack, 'users.info', { user: 'U1' })).body).toEqual({
      ok: false,
      error: 'fatal_error',
    });
    expect((await callApi(slack, 'users.info', { user: 'U1' })).body.ok).toBe(true);
  });
});

describe('call recording', () => {
  it('records method, decoded arguments, time and response of every call', async () => {
    await start();
    await callApi(slack, 'users.info', { user: 'U1' });
    expect(slack.lastCall('users.info')).toMatchObject({
      seq: 1,
      method: 'users.info',
      args: { user: 'U1' },
      at: expect.any(Number),
      status: 200,
      response: { ok: true, user: { id: 'U1' } },
    });
  });

  it('keeps only the newest calls when capped, and still counts them all', async () => {
    await start({ recordCalls: 2 });
    for (const user of ['U1', 'U2', 'U3']) await callApi(slack, 'users.info', { user });
    expect(slack.calls().map((c) => c.args.user)).toEqual(['U2', 'U3']);
    expect(slack.callCount('users.info')).toBe(3);
  });

  it('keeps nothing when recording is off', async () => {
    await start({ recordCalls: false });
    await callApi(slack, 'auth.test');
    expect(slack.calls()).toEqual([]);
    expect(slack.callCount()).toBe(1);
  });
});
