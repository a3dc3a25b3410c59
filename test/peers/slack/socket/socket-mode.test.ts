import { App, LogLevel, SocketModeReceiver, type types } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type SlackPeer, startSlackPeer } from '../api/peer.ts';
import { slashCommand } from '../requests/commands.ts';
import { appHomeOpened, eventCallback } from '../requests/events.ts';
import { viewSubmission } from '../requests/interactions.ts';
import { callApi, plain } from '../test-support.ts';
import { envelopeFor } from './envelopes.ts';
import { type SocketModeStandIn, startSocketModeStandIn } from './server.ts';

const APP_TOKEN = 'xapp-1-A0OKTACONN-socket-test';
// Socket Mode requests are not signed; the builders want a secret all the same.
const UNSIGNED = { signingSecret: 'unused' };

const modal: types.ModalView = {
  type: 'modal',
  callback_id: 'ask',
  title: plain('Ask'),
  submit: plain('Next'),
  blocks: [
    {
      type: 'input',
      block_id: 'nickname',
      label: plain('Nickname'),
      element: { type: 'plain_text_input', action_id: 'value' },
    },
  ],
};

let socket: SocketModeStandIn;
let slack: SlackPeer;
let app: App;
const seen: { event?: string; retryNum?: number } = {};

beforeAll(async () => {
  socket = await startSocketModeStandIn();
  slack = await startSlackPeer({
    users: [{ id: 'U1', isAdmin: true }],
    socketMode: { appToken: APP_TOKEN, url: () => socket.url() },
  });
  const receiver = new SocketModeReceiver({
    appToken: APP_TOKEN,
    logLevel: LogLevel.ERROR,
    installerOptions: { clientOptions: { slackApiUrl: slack.apiUrl } },
  });
  app = new App({
    token: 'xoxb-test',
    receiver,
    clientOptions: { slackApiUrl: slack.apiUrl },
    logLevel: LogLevel.ERROR,
  });
  app.command('/okta-connect', async ({ ack, body, client }) => {
    if (body.text === 'help') {
      await ack({ response_type: 'ephemeral', text: 'Usage: /okta-connect' });
      return;
    }
    await ack();
    await client.views.open({ trigger_id: body.trigger_id, view: modal });
  });
  app.view('ask', async ({ ack, view }) => {
    const nickname = view.state.values.nickname?.value?.value ?? '';
    if (nickname.length < 3)
      await ack({ response_action: 'errors', errors: { nickname: 'Too short' } });
    else await ack();
  });
  app.event('app_home_opened', async ({ event, context }) => {
    seen.event = event.type;
    seen.retryNum = context.retryNum;
  });
  await app.start();
});

afterAll(async () => {
  await app?.stop();
  await socket?.close();
  await slack?.close();
});

describe('apps.connections.open on the Web API stand-in', () => {
  it('answers the app-level token with a ws:// URL from the Socket Mode stand-in', async () => {
    const { body } = await callApi(slack, 'apps.connections.open', {}, { token: APP_TOKEN });
    expect(body).toMatchObject({
      ok: true,
      url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/),
    });
  });

  it('refuses a bot token with not_allowed_token_type and another app token with invalid_auth', async () => {
    expect((await callApi(slack, 'apps.connections.open', {})).body.error).toBe(
      'not_allowed_token_type',
    );
    const other = await callApi(slack, 'apps.connections.open', {}, { token: 'xapp-1-other' });
    expect(other.body.error).toBe('invalid_auth');
  });

  it('answers invalid_auth when the stand-in has no Socket Mode', async () => {
    const plainPeer = await startSlackPeer();
    try {
      const { body } = await callApi(plainPeer, 'apps.connections.open', {}, { token: APP_TOKEN });
      expect(body).toEqual({ ok: false, error: 'invalid_auth' });
    } finally {
      await plainPeer.close();
    }
  });
});

describe('Socket Mode stand-in with a Bolt app', () => {
  it('greets the app, which connects through apps.connections.open', async () => {
    // app.start() resolved on the hello.
    expect(socket.connections()).toBe(1);
    expect(slack.callCount('apps.connections.open')).toBeGreaterThanOrEqual(1);
  });

  it('delivers a slash command and records the ack with its response payload', async () => {
    const ack = await socket.deliver(
      envelopeFor(
        slashCommand({
          ...UNSIGNED,
          userId: 'U1',
          teamId: 'T0TEST',
          channelId: 'C1',
          text: 'help',
        }),
      ),
    );
    expect(ack.payload).toEqual({ response_type: 'ephemeral', text: 'Usage: /okta-connect' });
    const envelope = socket.envelopes().at(-1);
    expect(envelope).toMatchObject({ type: 'slash_commands', accepts_response_payload: true });
    expect(envelope?.payload).toMatchObject({ command: '/okta-connect', text: 'help' });
    expect(socket.acks().at(-1)?.envelope_id).toBe(envelope?.envelope_id);
  });

  it('acks a command with an empty payload, after which the app opens the modal', async () => {
    const answer = await socket.send(
      slashCommand({
        ...UNSIGNED,
        userId: 'U1',
        teamId: 'T0TEST',
        channelId: 'C1',
        triggerId: slack.issueTriggerId({ userId: 'U1' }),
      }),
    );
    expect(answer).toMatchObject({ status: 200, text: '' });
    await slack.waitForCalls('views.open');
    expect(slack.currentView('U1')?.callback_id).toBe('ask');
  });

  it("carries a view_submission's response_action in the ack, which the stand-in applies", async () => {
    const view = slack.currentView('U1');
    if (!view) throw new Error('no modal open');
    const submit = (nickname: string) =>
      socket.send(
        viewSubmission({ ...UNSIGNED, userId: 'U1', teamId: 'T0TEST', view, values: { nickname } }),
      );
    const refused = await submit('ab');
    expect(refused.body).toEqual({ response_action: 'errors', errors: { nickname: 'Too short' } });
    expect(slack.applyViewResponse(view.id, refused)).toEqual({
      kind: 'errors',
      errors: { nickname: 'Too short' },
    });
    expect(socket.envelopes().at(-1)).toMatchObject({
      type: 'interactive',
      accepts_response_payload: true,
    });
    const accepted = await submit('acme-prod');
    expect(slack.applyViewResponse(view.id, accepted)).toEqual({ kind: 'closed' });
  });

  it('delivers an events_api envelope whose retry_attempt reaches the listener', async () => {
    const request = eventCallback({
      ...UNSIGNED,
      teamId: 'T0TEST',
      event: appHomeOpened({ userId: 'U1', channel: slack.dmChannelFor('U1') }),
    });
    const ack = await socket.deliver(
      envelopeFor(request, { retryAttempt: 1, retryReason: 'timeout' }),
    );
    expect(ack.payload ?? {}).toEqual({});
    expect(seen).toEqual({ event: 'app_home_opened', retryNum: 1 });
  });

  it('lets each ticket open one connection only', async () => {
    const url = socket.url();
    const first = new WebSocket(url);
    const hello = await new Promise<string>((resolve, reject) => {
      first.once('message', (data) => resolve(String(data)));
      first.once('error', reject);
    });
    expect(JSON.parse(hello)).toMatchObject({
      type: 'hello',
      connection_info: { app_id: 'A0OKTACONN' },
    });
    first.close();
    const second = new WebSocket(url);
    const refused = await new Promise<string>((resolve) => {
      second.once('error', (error) => resolve(error.message));
      second.once('open', () => {
        second.close();
        resolve('opened');
      });
    });
    expect(refused).toMatch(/401/);
  });
});

describe('Socket Mode stand-in heartbeats', () => {
  it('pings each connection, and answers pings with pongs (the client drops a silent peer)', async () => {
    const beating = await startSocketModeStandIn({ pingIntervalMs: 20 });
    const client = new WebSocket(beating.url());
    try {
      await new Promise<void>((resolve) => client.once('ping', () => resolve()));
      const pong = new Promise<string>((resolve) =>
        client.once('pong', (data) => resolve(String(data))),
      );
      client.ping('are you there');
      expect(await pong).toBe('are you there');
    } finally {
      client.terminate();
      await beating.close();
    }
  });
});

describe('Socket Mode stand-in without an app', () => {
  it('refuses to deliver when nothing is connected', async () => {
    const lonely = await startSocketModeStandIn();
    try {
      const request = slashCommand({
        ...UNSIGNED,
        userId: 'U1',
        teamId: 'T0TEST',
        channelId: 'C1',
      });
      await expect(lonely.deliver(envelopeFor(request))).rejects.toThrow(/no app is connected/);
    } finally {
      await lonely.close();
    }
  });
});
