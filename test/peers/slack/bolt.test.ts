import type { AddressInfo } from 'node:net';
import { App, LogLevel, type SlackViewAction, type types, type ViewOutput } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SlackPeer, startSlackPeer } from './api/peer.ts';
import { slashCommand } from './requests/commands.ts';
import { viewSubmission } from './requests/interactions.ts';
import { SlackUser } from './slack-user.ts';
import { plain } from './test-support.ts';

const signingSecret = 'bolt-peer-test-secret';
const option = (value: string) => ({ text: plain(value), value });

const connectModal: types.ModalView = {
  type: 'modal',
  callback_id: 'connect',
  private_metadata: JSON.stringify({ channel: 'C1' }),
  title: plain('Connect Okta'),
  submit: plain('Next'),
  blocks: [
    {
      type: 'input',
      block_id: 'org',
      label: plain('Which org?'),
      element: {
        type: 'radio_buttons',
        action_id: 'kind',
        options: [option('home'), option('other')],
        initial_option: option('home'),
      },
    },
    {
      type: 'input',
      block_id: 'nickname',
      label: plain('Nickname'),
      element: { type: 'plain_text_input', action_id: 'value', max_length: 40 },
    },
    {
      type: 'input',
      block_id: 'scopes',
      optional: true,
      label: plain('Scopes'),
      element: {
        type: 'multi_static_select',
        action_id: 'picked',
        option_groups: [
          {
            label: plain('Users'),
            options: [option('okta.users.read'), option('okta.users.manage')],
          },
        ],
      },
    },
  ],
};
const doneModal: types.ModalView = {
  type: 'modal',
  callback_id: 'done',
  title: plain('All set'),
  blocks: [{ type: 'section', text: plain('Check your DMs') }],
};

let slack: SlackPeer;
let app: App;
let botUrl: string;
let submissions: { view: ViewOutput; body: SlackViewAction }[];

beforeAll(async () => {
  slack = await startSlackPeer({ users: [{ id: 'U1', isAdmin: true }], channels: [{ id: 'C1' }] });
  app = new App({
    token: 'xoxb-test',
    signingSecret,
    clientOptions: { slackApiUrl: slack.apiUrl },
    logLevel: LogLevel.ERROR,
  });
  app.command('/okta-connect', async ({ ack, body, client, respond }) => {
    await ack();
    if (body.text === 'help') await respond({ text: 'Usage: /okta-connect [new | list]' });
    else await client.views.open({ trigger_id: body.trigger_id, view: connectModal });
  });
  app.view('connect', async ({ ack, view, body, client }) => {
    submissions.push({ view, body });
    const nickname = view.state.values.nickname?.value?.value ?? '';
    if (nickname.includes(' ')) {
      await ack({ response_action: 'errors', errors: { nickname: 'No spaces, please' } });
      return;
    }
    await ack({ response_action: 'update', view: doneModal });
    await client.chat.postMessage({ channel: body.user.id, text: `Setup link for ${nickname}` });
  });
  app.event('app_home_opened', async ({ event, client }) => {
    const blocks: types.KnownBlock[] = [{ type: 'section', text: plain('No connections yet') }];
    await client.views.publish({ user_id: event.user, view: { type: 'home', blocks } });
  });
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});
afterAll(async () => {
  await app.stop();
  await slack.close();
});
beforeEach(() => {
  submissions = [];
});

const command = (overrides: Partial<Parameters<typeof slashCommand>[0]> = {}) =>
  slashCommand({
    signingSecret,
    userId: 'U1',
    teamId: slack.identity.teamId,
    channelId: 'C1',
    ...overrides,
  });

describe('a real Bolt app against the peer', () => {
  it('answers a signed slash command by opening a modal on the stand-in', async () => {
    const before = slack.callCount('views.open');
    const res = await command({ triggerId: slack.issueTriggerId({ userId: 'U1' }) }).send(botUrl);
    expect(res.status).toBe(200);
    const call = await slack.waitForCalls('views.open', before + 1);
    expect(call?.response).toMatchObject({ ok: true, view: { callback_id: 'connect' } });
    expect(slack.currentView('U1')?.callback_id).toBe('connect');
  });

  it('refuses a request signed with the wrong secret with 401', async () => {
    const res = await command({ wrongSecret: true }).send(botUrl);
    expect(res.status).toBe(401);
  });

  it('refuses a stale signature with 401', async () => {
    const res = await command({ timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }).send(botUrl);
    expect(res.status).toBe(401);
  });

  it('delivers a submission built from the recorded modal to app.view() with Slack’s state.values', async () => {
    await command({ triggerId: slack.issueTriggerId({ userId: 'U1' }) }).send(botUrl);
    await slack.waitForCalls('views.open', slack.callCount('views.open'));
    const view = slack.lastView();
    if (!view) throw new Error('the bot opened no modal');
    const res = await viewSubmission({
      signingSecret,
      userId: 'U1',
      teamId: slack.identity.teamId,
      view,
      values: { nickname: 'prod', scopes: ['okta.users.read'] },
    }).send(botUrl);
    expect(res.status).toBe(200);
    expect(submissions).toHaveLength(1);
    expect(submissions[0]?.view.id).toBe(view.id);
    expect(submissions[0]?.view.private_metadata).toBe('{"channel":"C1"}');
    expect(submissions[0]?.view.state.values).toEqual({
      org: { kind: { type: 'radio_buttons', selected_option: option('home') } },
      nickname: { value: { type: 'plain_text_input', value: 'prod' } },
      scopes: {
        picked: { type: 'multi_static_select', selected_options: [option('okta.users.read')] },
      },
    });
  });

  it('applies the bot’s response_action to the modal, as Slack’s client would', async () => {
    const ada = new SlackUser({
      peer: slack,
      requestUrl: botUrl,
      signingSecret,
      userId: 'U1',
      channelId: 'C1',
    });
    await ada.command();
    await slack.waitForCalls('views.open', slack.callCount('views.open'));

    const refused = await ada.submit({ nickname: 'my prod' });
    expect(refused.outcome).toEqual({ kind: 'errors', errors: { nickname: 'No spaces, please' } });
    expect(ada.currentView().callback_id).toBe('connect');

    const accepted = await ada.submit({ nickname: 'prod' });
    expect(accepted.outcome).toMatchObject({ kind: 'updated', view: { callback_id: 'done' } });
    await slack.waitForCalls('chat.postMessage', slack.callCount('chat.postMessage'));
    expect(slack.messagesTo('U1').at(-1)?.text).toBe('Setup link for prod');
  });

  it('sends what respond() posts to a response_url served by the stand-in', async () => {
    const ada = new SlackUser({ peer: slack, requestUrl: botUrl, signingSecret, userId: 'U1' });
    await ada.command('help');
    const post = await slack.waitForResponseUrlPosts(slack.responseUrlPosts().length + 1);
    expect(post?.body).toMatchObject({ text: 'Usage: /okta-connect [new | list]' });
  });

  it('publishes the Home tab when the user opens it', async () => {
    const ada = new SlackUser({ peer: slack, requestUrl: botUrl, signingSecret, userId: 'U1' });
    const res = await ada.openHome();
    expect(res.status).toBe(200);
    await slack.waitForCalls('views.publish');
    expect(slack.homeView('U1')?.blocks).toEqual([
      expect.objectContaining({ type: 'section', text: plain('No connections yet') }),
    ]);
  });
});
