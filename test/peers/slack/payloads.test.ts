import { describe, expect, it } from 'vitest';
import { actionFor } from './requests/actions.ts';
import { slashCommand } from './requests/commands.ts';
import { appHomeOpened, eventCallback } from './requests/events.ts';
import { blockActions, viewClosed, viewSubmission } from './requests/interactions.ts';
import type { SlackRequest } from './requests/signing.ts';
import { plain } from './test-support.ts';

const signingSecret = 'secret';
const actor = { userId: 'U1', userName: 'ada', teamId: 'T1', teamDomain: 'acme' };
const view = {
  id: 'V1',
  type: 'modal',
  hash: '1.abc',
  callback_id: 'connect',
  private_metadata: '{"step":1}',
  blocks: [
    {
      type: 'input',
      block_id: 'nick',
      label: plain('Nick'),
      element: { type: 'plain_text_input', action_id: 'v' },
    },
    {
      type: 'actions',
      block_id: 'nav',
      elements: [{ type: 'button', action_id: 'back', text: plain('Back'), value: 'org' }],
    },
  ],
};

const payloadOf = (req: SlackRequest) =>
  JSON.parse(new URLSearchParams(req.body).get('payload') ?? '{}');

describe('request payloads', () => {
  it('sends a slash command with every field Slack sends, in form encoding', () => {
    const req = slashCommand({
      signingSecret,
      ...actor,
      enterpriseId: 'E1',
      channelId: 'C1',
      text: 'test prod',
      triggerId: '1.2.ab',
      responseUrl: 'https://hooks.slack.com/commands/T1/1/x',
    });
    const fields = Object.fromEntries(new URLSearchParams(req.body));
    expect(fields).toEqual({
      token: expect.any(String),
      team_id: 'T1',
      team_domain: 'acme',
      enterprise_id: 'E1',
      enterprise_name: 'E1',
      channel_id: 'C1',
      channel_name: 'channel-c1',
      user_id: 'U1',
      user_name: 'ada',
      command: '/okta-connect',
      text: 'test prod',
      api_app_id: 'A0OKTACONN',
      is_enterprise_install: 'false',
      response_url: 'https://hooks.slack.com/commands/T1/1/x',
      trigger_id: '1.2.ab',
    });
  });

  it('sends a view submission with the view, its state and who submitted it', () => {
    const payload = payloadOf(
      viewSubmission({ signingSecret, ...actor, view, values: { nick: 'prod' } }),
    );
    expect(payload).toMatchObject({
      type: 'view_submission',
      team: { id: 'T1', domain: 'acme' },
      user: { id: 'U1', username: 'ada', name: 'ada', team_id: 'T1' },
      api_app_id: 'A0OKTACONN',
      trigger_id: expect.stringMatching(/^\d+\.\d+\.[0-9a-f]+$/),
      view: { id: 'V1', hash: '1.abc', private_metadata: '{"step":1}', callback_id: 'connect' },
      response_urls: [],
    });
    expect(payload.view.state.values).toEqual({
      nick: { v: { type: 'plain_text_input', value: 'prod' } },
    });
  });

  it('sends team: null for an org-wide install', () => {
    const payload = payloadOf(
      viewSubmission({ signingSecret, ...actor, orgInstall: true, view, values: { nick: 'a' } }),
    );
    expect(payload.team).toBeNull();
    expect(payload.is_enterprise_install).toBe(true);
  });

  it('sends a modal click with the view container and no response_url', () => {
    const payload = payloadOf(
      blockActions({
        signingSecret,
        ...actor,
        view,
        actions: [actionFor(view.blocks, 'nav', 'back')],
        fill: { strict: false },
      }),
    );
    expect(payload.container).toEqual({ type: 'view', view_id: 'V1' });
    expect(payload.response_url).toBeUndefined();
    expect(payload.actions).toEqual([
      {
        type: 'button',
        block_id: 'nav',
        action_id: 'back',
        text: plain('Back'),
        value: 'org',
        action_ts: expect.any(String),
      },
    ]);
    expect(payload.view.state.values.nick.v).toEqual({ type: 'plain_text_input', value: null });
  });

  it('sends a message click with the channel, the message and a response_url', () => {
    const blocks = view.blocks;
    const payload = payloadOf(
      blockActions({
        signingSecret,
        ...actor,
        actions: [actionFor(blocks, 'nav', 'back')],
        message: {
          channelId: 'C1',
          ts: '1.000001',
          message: { type: 'message', ts: '1.000001', blocks },
        },
      }),
    );
    expect(payload.container).toEqual({
      type: 'message',
      message_ts: '1.000001',
      channel_id: 'C1',
      is_ephemeral: false,
    });
    expect(payload.channel.id).toBe('C1');
    expect(payload.message.ts).toBe('1.000001');
    expect(payload.response_url).toMatch(/^https:\/\/hooks\.slack\.com\//);
  });

  it('sends view_closed without a trigger id', () => {
    const payload = payloadOf(viewClosed({ signingSecret, ...actor, view }));
    expect(payload).toMatchObject({ type: 'view_closed', is_cleared: false, view: { id: 'V1' } });
    expect(payload.trigger_id).toBeUndefined();
  });

  it('wraps events in an event_callback envelope with authorizations', () => {
    const req = eventCallback({
      signingSecret,
      teamId: 'T1',
      botUserId: 'UBOT',
      event: appHomeOpened({ userId: 'U1', channel: 'D1' }),
    });
    expect(JSON.parse(req.body)).toMatchObject({
      type: 'event_callback',
      team_id: 'T1',
      api_app_id: 'A0OKTACONN',
      event_id: expect.stringMatching(/^Ev/),
      event_time: expect.any(Number),
      authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true, enterprise_id: null }],
      event: {
        type: 'app_home_opened',
        user: 'U1',
        channel: 'D1',
        tab: 'home',
        event_ts: expect.any(String),
      },
    });
  });
});
