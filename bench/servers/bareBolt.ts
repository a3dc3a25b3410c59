import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import { BOT_TOKEN, SIGNING_SECRET } from '../lib/fixtures.ts';
import { serveCommands } from '../lib/ipc.ts';

/**
 * The baseline: Bolt as its README shows it, whose command only acks and opens a
 * one-block modal, and whose `connect_details` submission pushes one. Same Slack
 * stand-in, same signed requests as okta-connect gets.
 */
const apiUrl = process.env.SLACK_API_URL;
if (!apiUrl) throw new Error('SLACK_API_URL is required');

const oneBlockModal = (callbackId: string) => ({
  type: 'modal' as const,
  callback_id: callbackId,
  title: { type: 'plain_text' as const, text: 'Bare Bolt' },
  blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'Hello.' } }],
});

const app = new App({
  token: BOT_TOKEN,
  signingSecret: SIGNING_SECRET,
  clientOptions: { slackApiUrl: apiUrl },
  // For the start-up workload, which waits for a 200 from /healthz as it does for the bot.
  customRoutes: [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200);
        res.end('ok');
      },
    },
  ],
});
app.command('/okta-connect', async ({ ack, body, client }) => {
  await ack();
  await client.views.open({ trigger_id: body.trigger_id, view: oneBlockModal('bare_open') });
});
app.view('connect_details', async ({ ack }) => {
  await ack({ response_action: 'push', view: oneBlockModal('bare_push') });
});

const server = await app.start({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
const { port } = (server as { address(): AddressInfo }).address();

serveCommands({ port }, {}, async () => {
  await app.stop();
});
