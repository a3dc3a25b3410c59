import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOnce } from '../../src/handlers/listeners.ts';
import type { SlackPeer } from '../peers/slack/index.ts';
import { blockActions, startSlackPeer, viewSubmission } from '../peers/slack/index.ts';

const signingSecret = 'listeners-test-secret';
const who = { signingSecret, userId: 'U1', teamId: 'T0TEST' };

let slack: SlackPeer;
let app: App;
let url: string;
const heard: string[] = [];

const modal = (callbackId: string) => ({
  id: `V${callbackId.replace(/\W/g, '')}`,
  type: 'modal',
  callback_id: callbackId,
  blocks: [],
});

function click(actionId: string) {
  return blockActions({
    ...who,
    view: modal('anything'),
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value: 'v' }],
  }).send(url);
}

beforeAll(async () => {
  slack = await startSlackPeer({ users: [{ id: 'U1', isAdmin: true }] });
  app = new App({
    token: 'xoxb-test',
    clientOptions: { slackApiUrl: slack.apiUrl },
    logLevel: LogLevel.ERROR,
    // An unhandled request is answered (404) after 0.2 s instead of Bolt's 3 s.
    receiver: new HTTPReceiver({
      signingSecret,
      logLevel: LogLevel.ERROR,
      unhandledRequestTimeoutMillis: 200,
    }),
  });
  registerOnce(app, (listeners) => {
    listeners.action('conn.test', async ({ ack }) => {
      heard.push('action conn.test');
      await ack();
    });
    listeners.action('conn_delete', async ({ ack }) => {
      heard.push('action conn_delete');
      await ack();
    });
    listeners.view('connect_scopes', async ({ ack }) => {
      heard.push('view connect_scopes');
      await ack({ response_action: 'clear' });
    });
    listeners.view('edit_scopes', async ({ ack }) => {
      heard.push('view edit_scopes');
      await ack();
    });
  });
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(server as { address(): AddressInfo }).address().port}/slack/events`;
});
afterAll(async () => {
  await app.stop();
  await slack.close();
});

describe('one Bolt listener per kind', () => {
  it('hands each click and submission to the listener registered for its id', async () => {
    heard.length = 0;
    expect((await click('conn_delete')).status).toBe(200);
    expect((await click('conn.test')).status).toBe(200);
    const submitted = await viewSubmission({ ...who, view: modal('connect_scopes') }).send(url);
    expect(submitted.status).toBe(200);
    expect(JSON.parse(submitted.text)).toEqual({ response_action: 'clear' });
    expect((await viewSubmission({ ...who, view: modal('edit_scopes') }).send(url)).status).toBe(
      200,
    );
    expect(heard).toEqual([
      'action conn_delete',
      'action conn.test',
      'view connect_scopes',
      'view edit_scopes',
    ]);
  });

  it('leaves ids nobody registered unhandled, as Bolt does: a dot is not a wildcard', async () => {
    heard.length = 0;
    for (const id of ['connXtest', 'conn_delete_all', 'xconn_delete', 'conn']) {
      expect((await click(id)).status, id).toBe(404);
    }
    expect((await viewSubmission({ ...who, view: modal('connect') }).send(url)).status).toBe(404);
    expect(heard).toEqual([]);
  });

  it('refuses two listeners for one id', () => {
    const other = new App({ token: 'xoxb-test', signingSecret, logLevel: LogLevel.ERROR });
    expect(() =>
      registerOnce(other, (listeners) => {
        listeners.view('v', async () => {});
        listeners.view('v', async () => {});
      }),
    ).toThrow('two view listeners for v');
  });
});
