import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackPeer, startSlackPeer } from './api/peer.ts';
import { callApi } from './test-support.ts';

let slack: SlackPeer;

beforeAll(async () => {
  slack = await startSlackPeer({
    teamId: 'T1',
    botUserId: 'UBOT',
    botId: 'BBOT',
    users: [
      { id: 'U1', isAdmin: true, name: 'ada' },
      { id: 'U2', isOwner: true, teamId: 'T2' },
      { id: 'U3', deleted: true },
    ],
  });
});
afterAll(() => slack.close());

describe('Web API stand-in: authentication and encodings', () => {
  it('listens on 127.0.0.1 and gives the slackApiUrl to use', () => {
    expect(slack.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  it('answers auth.test for the bot token, to a real WebClient', async () => {
    const client = new webApi.WebClient('xoxb-test', { slackApiUrl: slack.apiUrl });
    const result = await client.auth.test();
    expect(result).toMatchObject({ ok: true, team_id: 'T1', user_id: 'UBOT', bot_id: 'BBOT' });
  });

  it('refuses a missing token with not_authed and a wrong one with invalid_auth', async () => {
    expect((await callApi(slack, 'auth.test', {}, { token: null })).body).toEqual({
      ok: false,
      error: 'not_authed',
    });
    expect((await callApi(slack, 'auth.test', {}, { token: 'xoxb-nope' })).body).toEqual({
      ok: false,
      error: 'invalid_auth',
    });
  });

  it('accepts the token as a form field but not inside a JSON body', async () => {
    const form = await fetch(`${slack.apiUrl}auth.test`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'token=xoxb-test',
    });
    expect(await form.json()).toMatchObject({ ok: true });
    const json = await callApi(
      slack,
      'auth.test',
      { token: 'xoxb-test' },
      { token: null, encoding: 'json' },
    );
    expect(json.body.error).toBe('not_authed');
  });

  it('answers unknown methods with unknown_method, over HTTP 200', async () => {
    const res = await callApi(slack, 'chat.teleport');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: false, error: 'unknown_method', req_method: 'chat.teleport' });
  });

  it('decodes JSON bodies and JSON strings inside form bodies alike', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }];
    await callApi(
      slack,
      'chat.postMessage',
      { channel: 'U1', blocks, text: 'hi' },
      { encoding: 'json' },
    );
    await callApi(slack, 'chat.postMessage', { channel: 'U1', blocks, text: 'hi' });
    const [json, form] = slack.calls('chat.postMessage').slice(-2);
    expect(json?.args.blocks).toEqual(blocks);
    expect(form?.args.blocks).toEqual(blocks);
    expect(form?.args).not.toHaveProperty('token');
  });

  it('refuses malformed JSON with invalid_json', async () => {
    const res = await fetch(`${slack.apiUrl}auth.test`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer xoxb-test' },
      body: '{not json',
    });
    expect(await res.json()).toEqual({ ok: false, error: 'invalid_json' });
  });
});

describe('Web API stand-in: users.info', () => {
  it('returns the configured admin and owner flags and team', async () => {
    const admin = await callApi(slack, 'users.info', { user: 'U1' });
    expect(admin.body.user).toMatchObject({
      id: 'U1',
      name: 'ada',
      team_id: 'T1',
      is_admin: true,
      is_owner: false,
    });
    const owner = await callApi(slack, 'users.info', { user: 'U2' });
    expect(owner.body.user).toMatchObject({ is_owner: true, team_id: 'T2', deleted: false });
  });

  it('returns deleted users with deleted: true', async () => {
    expect((await callApi(slack, 'users.info', { user: 'U3' })).body.user).toMatchObject({
      deleted: true,
    });
  });

  it('answers user_not_found for someone it does not know', async () => {
    expect((await callApi(slack, 'users.info', { user: 'U404' })).body).toEqual({
      ok: false,
      error: 'user_not_found',
    });
  });

  it('answers invalid_arguments when user is missing', async () => {
    const res = await callApi(slack, 'users.info');
    expect(res.body).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
      response_metadata: {
        messages: ['[ERROR] missing required field: user [json-pointer:/user]'],
      },
    });
  });
});

describe('Web API stand-in: conversations.open', () => {
  it('gives each user one stable DM channel', async () => {
    const first = await callApi(slack, 'conversations.open', { users: 'U2' });
    const again = await callApi(slack, 'conversations.open', { users: 'U2' });
    expect(first.body).toEqual({ ok: true, channel: { id: slack.dmChannelFor('U2') } });
    expect(again.body).toMatchObject({
      ok: true,
      already_open: true,
      channel: { id: slack.dmChannelFor('U2') },
    });
    expect(slack.dmChannelFor('U2')).toMatch(/^D/);
  });

  it('refuses unknown and deactivated users', async () => {
    expect((await callApi(slack, 'conversations.open', { users: 'U404' })).body.error).toBe(
      'user_not_found',
    );
    expect((await callApi(slack, 'conversations.open', { users: 'U3' })).body.error).toBe(
      'user_disabled',
    );
    expect((await callApi(slack, 'conversations.open', {})).body.error).toBe(
      'users_list_not_supplied',
    );
  });
});
