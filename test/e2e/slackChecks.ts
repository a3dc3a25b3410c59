import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import {
  errorsOnly,
  type SlackHttpResponse,
  type StoredMessage,
  validateMessage,
} from '../peers/slack/index.ts';
import { type Harness, type HarnessOptions, startHarness } from './harness.ts';

/**
 * Slack refuses a payload that breaks its Block Kit limits with `ok: false`, so every Web
 * API call the bot made having been accepted means every modal and message it sent was
 * within limits. What the bot sends to response URLs and in its HTTP answers is not
 * checked by the stand-in on the way, so it is checked here.
 */
export function expectSlackAccepted(h: Harness): void {
  const refused = h.slack
    .calls()
    .filter((call) => call.response.ok !== true)
    .map((call) => ({ method: call.method, response: call.response }));
  expect(refused).toEqual([]);
  for (const post of h.slack.responseUrlPosts()) {
    expect(errorsOnly(validateMessage(post.body))).toEqual([]);
  }
}

/** The message the bot answered a slash command with, checked against Slack's limits. */
export function messageIn(response: SlackHttpResponse): StoredMessage {
  expect(response.status).toBe(200);
  expect(errorsOnly(validateMessage(response.body))).toEqual([]);
  const body = response.body as { text?: string; blocks?: unknown[] };
  return {
    channel: 'CALERTS',
    ts: '1700000000.000100',
    text: body.text,
    blocks: body.blocks,
    threadTs: undefined,
    edits: 0,
    history: [],
  };
}

/**
 * One harness for a `describe` whose tests do not get in each other's way (each uses its
 * own connection names); after every test, Slack must have accepted every call, and the
 * call log starts afresh for the next test.
 */
export function sharedHarness(options: HarnessOptions = {}): () => Harness {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness(options);
  });
  afterAll(async () => {
    await harness?.close();
  });
  afterEach(() => {
    if (!harness) return;
    expectSlackAccepted(harness);
    harness.slack.clearCalls();
  });
  return () => {
    if (!harness) throw new Error('the harness did not start');
    return harness;
  };
}

/** A harness of its own for one test that needs a differently configured Okta app or user. */
export async function withHarness(
  options: HarnessOptions,
  test: (h: Harness) => Promise<void>,
): Promise<void> {
  const h = await startHarness(options);
  try {
    await test(h);
    expectSlackAccepted(h);
  } finally {
    await h.close();
  }
}
