import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackPeer, startSlackPeer } from './api/peer.ts';
import { callApi, plain } from './test-support.ts';

let slack: SlackPeer;

beforeEach(async () => {
  slack = await startSlackPeer({
    users: [{ id: 'U1' }, { id: 'U2' }],
    channels: [
      { id: 'C1', name: 'okta-admins', userIds: ['U1'] },
      { id: 'C2', name: 'general', member: false },
      { id: 'C3', isArchived: true },
      { id: 'G1', isPrivate: true, member: false },
    ],
  });
});
afterEach(() => slack.close());

const post = (args: Record<string, unknown>) => callApi(slack, 'chat.postMessage', args);

describe('chat.postMessage', () => {
  it('posts to a channel and returns its ts and channel', async () => {
    const res = await post({ channel: 'C1', text: 'Connection prod needs reauthorization' });
    expect(res.body).toMatchObject({
      ok: true,
      channel: 'C1',
      ts: expect.stringMatching(/^\d+\.\d{6}$/),
      message: {
        type: 'message',
        text: 'Connection prod needs reauthorization',
        user: 'U0BOT',
        bot_id: 'B0BOT',
      },
    });
    expect(slack.messagesTo('C1').map((m) => m.text)).toEqual([
      'Connection prod needs reauthorization',
    ]);
  });

  it('gives every message a distinct, increasing ts', async () => {
    const a = (await post({ channel: 'C1', text: 'a' })).body.ts as string;
    const b = (await post({ channel: 'C1', text: 'b' })).body.ts as string;
    expect(Number(b)).toBeGreaterThan(Number(a));
  });

  it('posts to a DM channel opened with conversations.open', async () => {
    const opened = await callApi(slack, 'conversations.open', { users: 'U1' });
    const dm = (opened.body.channel as { id: string }).id;
    expect((await post({ channel: dm, text: 'Your setup link' })).body).toMatchObject({
      ok: true,
      channel: dm,
    });
    expect(slack.messagesTo('U1')).toHaveLength(1);
  });

  it('posts to a user id in the app’s DM with that user', async () => {
    const res = await post({ channel: 'U2', text: 'hi' });
    expect(res.body.channel).toBe(slack.dmChannelFor('U2'));
  });

  it('refuses unknown channels, channels the bot is not in, and archived ones', async () => {
    expect((await post({ channel: 'C404', text: 'x' })).body).toEqual({
      ok: false,
      error: 'channel_not_found',
    });
    expect((await post({ channel: 'D999', text: 'x' })).body.error).toBe('channel_not_found');
    expect((await post({ channel: 'C2', text: 'x' })).body.error).toBe('not_in_channel');
    expect((await post({ channel: 'C3', text: 'x' })).body.error).toBe('is_archived');
    expect((await post({ channel: 'G1', text: 'x' })).body.error).toBe('channel_not_found');
  });

  it('lets a test add the bot to a channel later', async () => {
    slack.setChannelMember('C2', true);
    expect((await post({ channel: '#general', text: 'x' })).body.ok).toBe(true);
  });

  it('needs text, blocks or attachments', async () => {
    expect((await post({ channel: 'C1' })).body.error).toBe('no_text');
    expect((await post({ channel: 'C1', blocks: [{ type: 'divider' }] })).body.ok).toBe(true);
  });

  it('refuses blocks that are not a JSON array with invalid_blocks_format', async () => {
    expect((await post({ channel: 'C1', blocks: '[{oops' })).body.error).toBe(
      'invalid_blocks_format',
    );
  });
});

describe('chat.postEphemeral', () => {
  it('shows a message to one member of a channel', async () => {
    const res = await callApi(slack, 'chat.postEphemeral', {
      channel: 'C1',
      user: 'U1',
      text: 'Only you',
    });
    expect(res.body).toEqual({ ok: true, message_ts: expect.stringMatching(/^\d+\.\d{6}$/) });
    expect(slack.ephemeralsTo('C1')).toMatchObject([{ user: 'U1', text: 'Only you' }]);
  });

  it('refuses users outside the channel and unknown users', async () => {
    const outside = await callApi(slack, 'chat.postEphemeral', {
      channel: 'C1',
      user: 'U2',
      text: 'x',
    });
    expect(outside.body.error).toBe('user_not_in_channel');
    const unknown = await callApi(slack, 'chat.postEphemeral', {
      channel: 'C1',
      user: 'U404',
      text: 'x',
    });
    expect(unknown.body.error).toBe('user_not_found');
  });
});

describe('chat.update', () => {
  it('edits an existing message in place', async () => {
    const { ts } = (await post({ channel: 'C1', text: 'needs reauth' })).body as { ts: string };
    const blocks = [{ type: 'section', text: plain('fixed') }];
    const res = await callApi(slack, 'chat.update', { channel: 'C1', ts, text: 'fixed', blocks });
    expect(res.body).toMatchObject({ ok: true, channel: 'C1', ts, text: 'fixed' });
    expect(slack.message('C1', ts)).toMatchObject({ text: 'fixed', blocks, edits: 1 });
    expect(slack.messagesTo('C1')).toHaveLength(1);
  });

  it('answers message_not_found for a ts it does not have in that channel', async () => {
    const { ts } = (await post({ channel: 'C1', text: 'x' })).body as { ts: string };
    expect(
      (await callApi(slack, 'chat.update', { channel: 'C1', ts: '1.000000', text: 'y' })).body
        .error,
    ).toBe('message_not_found');
    await post({ channel: 'U1', text: 'dm' });
    const wrongChannel = await callApi(slack, 'chat.update', {
      channel: slack.dmChannelFor('U1'),
      ts,
      text: 'y',
    });
    expect(wrongChannel.body.error).toBe('message_not_found');
  });
});
