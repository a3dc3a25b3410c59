import type { AddressInfo } from 'node:net';
import { App, LogLevel, type types } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackPeer, startSlackPeer } from './api/peer.ts';
import { SlackUser } from './slack-user.ts';
import { plain } from './test-support.ts';

const signingSecret = 'bolt-interactions-secret';

const scopesModal: types.ModalView = {
  type: 'modal',
  callback_id: 'scopes',
  notify_on_close: true,
  title: plain('Permissions'),
  submit: plain('Connect'),
  blocks: [
    {
      type: 'actions',
      block_id: 'mode',
      elements: [
        {
          type: 'button',
          action_id: 'customize',
          text: plain('Customize scopes'),
          value: 'custom',
        },
      ],
    },
  ],
};
const pickerModal: types.ModalView = {
  type: 'modal',
  callback_id: 'picker',
  title: plain('Pick scopes'),
  blocks: [{ type: 'section', text: plain('okta.users.read') }],
};
const alert: types.KnownBlock[] = [
  {
    type: 'section',
    block_id: 'alert',
    text: plain('prod needs reauthorization'),
    accessory: { type: 'button', action_id: 'reauth', text: plain('Reauthorize'), value: 'conn-1' },
  },
];

let slack: SlackPeer;
let app: App;
let ada: SlackUser;
const closed: string[] = [];

beforeAll(async () => {
  slack = await startSlackPeer({ users: [{ id: 'U1' }], channels: [{ id: 'C1' }] });
  app = new App({
    token: 'xoxb-test',
    signingSecret,
    clientOptions: { slackApiUrl: slack.apiUrl },
    logLevel: LogLevel.ERROR,
    processBeforeResponse: true,
  });
  app.command('/okta-connect', async ({ ack, body, client }) => {
    await ack();
    await client.views.open({ trigger_id: body.trigger_id, view: scopesModal });
  });
  app.action('customize', async ({ ack, body, client }) => {
    await ack();
    if (body.type === 'block_actions')
      await client.views.push({ trigger_id: body.trigger_id, view: pickerModal });
  });
  app.action('reauth', async ({ ack, body, client }) => {
    await ack();
    if (body.type !== 'block_actions' || !body.channel || !body.message) return;
    const value = body.actions[0]?.type === 'button' ? body.actions[0].value : undefined;
    await client.chat.update({
      channel: body.channel.id,
      ts: body.message.ts,
      text: `Reauthorizing ${value}`,
    });
  });
  app.view({ callback_id: 'scopes', type: 'view_closed' }, async ({ ack, view }) => {
    await ack();
    closed.push(view.id);
  });
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  const requestUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  ada = new SlackUser({ peer: slack, requestUrl, signingSecret, userId: 'U1', channelId: 'C1' });
});
afterAll(async () => {
  await app.stop();
  await slack.close();
});

describe('clicks and closes reaching a real Bolt app', () => {
  it('pushes a view with the trigger from a click in the modal', async () => {
    await ada.command();
    const res = await ada.click('mode', 'customize');
    expect(res.status).toBe(200);
    expect(slack.viewStack('U1').map((v) => v.callback_id)).toEqual(['scopes', 'picker']);
  });

  it('tells the bot when a notify_on_close modal is dismissed', async () => {
    await ada.command();
    const view = ada.currentView();
    const res = await ada.dismiss();
    expect(res?.status).toBe(200);
    expect(closed).toContain(view.id);
    expect(slack.viewStatus(view.id)?.open).toBe(false);
  });

  it('delivers a click on a message button with the channel and message', async () => {
    const posted = await app.client.chat.postMessage({
      channel: 'C1',
      text: 'needs reauth',
      blocks: alert,
    });
    const message = slack.message('C1', posted.ts ?? '');
    if (!message) throw new Error('the message was not stored');
    await ada.clickInMessage(message, 'alert', 'reauth');
    expect(slack.message('C1', message.ts)).toMatchObject({
      text: 'Reauthorizing conn-1',
      edits: 1,
    });
  });
});
