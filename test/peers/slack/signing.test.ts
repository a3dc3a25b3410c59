import { isValidSlackRequest, verifySlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { slashCommand } from './requests/commands.ts';
import { eventCallback } from './requests/events.ts';
import { viewSubmission } from './requests/interactions.ts';
import type { SlackRequest } from './requests/signing.ts';
import { slackSignature } from './requests/signing.ts';

const signingSecret = '8f742231b10e8888abcd99yyyzzz85a5';
const actor = { userId: 'U1', teamId: 'T1' };

function boltAccepts(req: SlackRequest, secret = signingSecret, nowMilliseconds?: number): boolean {
  return isValidSlackRequest({
    signingSecret: secret,
    body: req.body,
    headers: {
      'x-slack-signature': req.headers['X-Slack-Signature'] ?? '',
      'x-slack-request-timestamp': Number(req.headers['X-Slack-Request-Timestamp']),
    },
    ...(nowMilliseconds === undefined ? {} : { nowMilliseconds }),
  });
}

describe('signed requests', () => {
  it('computes the v0 HMAC-SHA256 signature over v0:timestamp:body', () => {
    // Slack's documented example: secret, timestamp and body from the "Verifying requests" guide.
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature(signingSecret, 1531420618, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  it.each([
    ['a slash command', slashCommand({ signingSecret, ...actor, channelId: 'C1' })],
    [
      'a view submission',
      viewSubmission({ signingSecret, ...actor, view: { id: 'V1', blocks: [] } }),
    ],
    [
      'an event callback',
      eventCallback({ signingSecret, teamId: 'T1', event: { type: 'app_home_opened' } }),
    ],
  ])('signs %s so that Bolt verifies it', (_name, req) => {
    expect(() =>
      verifySlackRequest({
        signingSecret,
        body: req.body,
        headers: {
          'x-slack-signature': req.headers['X-Slack-Signature'] ?? '',
          'x-slack-request-timestamp': Number(req.headers['X-Slack-Request-Timestamp']),
        },
      }),
    ).not.toThrow();
  });

  it('makes a request signed with a wrong secret fail verification', () => {
    expect(
      boltAccepts(slashCommand({ signingSecret, ...actor, channelId: 'C1', wrongSecret: true })),
    ).toBe(false);
    const forged = slashCommand({ signingSecret, ...actor, channelId: 'C1', wrongSecret: 'guess' });
    expect(boltAccepts(forged)).toBe(false);
    expect(boltAccepts(forged, 'guess')).toBe(true);
  });

  it('uses the given timestamp, so a request older than five minutes is stale', () => {
    const now = Date.now();
    const at = (secondsAgo: number) =>
      slashCommand({
        signingSecret,
        ...actor,
        channelId: 'C1',
        timestamp: Math.floor(now / 1000) - secondsAgo,
      });
    expect(at(299).headers['X-Slack-Request-Timestamp']).toBe(String(Math.floor(now / 1000) - 299));
    expect(boltAccepts(at(299), signingSecret, now)).toBe(true);
    expect(boltAccepts(at(301), signingSecret, now)).toBe(false);
  });

  it('adds retry headers and extra headers as asked', () => {
    const req = eventCallback({
      signingSecret,
      teamId: 'T1',
      event: { type: 'app_home_opened' },
      retry: { num: 1, reason: 'http_timeout' },
      headers: { 'X-Slack-No-Retry': '1' },
    });
    expect(req.headers).toMatchObject({
      'Content-Type': 'application/json',
      'X-Slack-Retry-Num': '1',
      'X-Slack-Retry-Reason': 'http_timeout',
      'X-Slack-No-Retry': '1',
    });
    expect(boltAccepts(req)).toBe(true);
  });

  it('form-encodes commands and interactions, JSON-encodes events', () => {
    const command = slashCommand({ signingSecret, ...actor, channelId: 'C1' });
    expect(command.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(command.body).get('command')).toBe('/okta-connect');
    const submission = viewSubmission({ signingSecret, ...actor, view: { id: 'V1', blocks: [] } });
    const payload = JSON.parse(new URLSearchParams(submission.body).get('payload') ?? '');
    expect(payload.type).toBe('view_submission');
  });
});
