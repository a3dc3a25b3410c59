import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bot, createBot } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/openDatabase.ts';
import { createLogger } from '../../src/logger.ts';
import {
  ADMIN,
  ADMIN_PASSWORD,
  BOT_TOKEN,
  CLIENT_ID,
  CLIENT_SECRET,
  ENCRYPTION_KEY,
  freePort,
  ORG,
} from '../e2e/harness.ts';
import { csrfFrom, HttpBrowser } from '../e2e/httpBrowser.ts';
import { type OktaPeer, startOktaPeer } from '../peers/okta/index.ts';
import {
  blockSuggestion,
  type FillValues,
  type SlackPeer,
  type SocketModeStandIn,
  slashCommand,
  startSlackPeer,
  startSocketModeStandIn,
  viewSubmission,
} from '../peers/slack/index.ts';

/**
 * The bot with `SLACK_APP_TOKEN` set and no signing secret: Slack reaches it over a
 * WebSocket it opens itself, and its pages and the OAuth callback stay on PORT.
 */

const APP_TOKEN = 'xapp-1-A0OKTACONN-1234567890-socketmodetest';
// Socket Mode payloads are not signed; the request builders want a secret regardless.
const UNSIGNED = { signingSecret: 'unused' };

let okta: OktaPeer;
let socket: SocketModeStandIn;
let slack: SlackPeer;
let database: DatabaseHandle;
let bot: Bot;
let dir: string;
let publicUrl: string;

beforeAll(async () => {
  okta = await startOktaPeer();
  socket = await startSocketModeStandIn();
  slack = await startSlackPeer({
    botToken: BOT_TOKEN,
    users: [{ id: ADMIN, isAdmin: true }],
    channels: [{ id: 'CALERTS', name: 'okta-alerts' }],
    socketMode: { appToken: APP_TOKEN, url: () => socket.url() },
  });
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  okta.addApp({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [`${publicUrl}/oauth/okta/callback`],
    grantTypes: ['authorization_code', 'refresh_token'],
    grantedScopes: ['okta.users.read', 'okta.groups.read'],
  });
  okta.addUser({
    login: 'ada@acme.example',
    password: ADMIN_PASSWORD,
    roles: ['SUPER_ADMIN'],
    assignedTo: [CLIENT_ID],
  });
  dir = mkdtempSync(join(tmpdir(), 'okc-socket-'));
  const result = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_APP_TOKEN: APP_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    PUBLIC_URL: publicUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_PATH: join(dir, 'bot.sqlite'),
    ENCRYPTION_KEY,
    OKTA_ORIGIN_OVERRIDES: JSON.stringify({ [ORG]: okta.origin }),
    LOG_LEVEL: 'silent',
  });
  if (!result.ok) throw new Error(result.problems.join('\n'));
  database = openDatabase(result.config.databasePath);
  bot = createBot(result.config, { logger: createLogger('silent'), database });
  await bot.start();
});

afterAll(async () => {
  await bot?.stop();
  await socket?.close();
  await database?.close();
  await slack?.close();
  await okta?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The admin presses Submit on the modal on top of their stack, over the socket. */
async function submit(values: FillValues) {
  const view = slack.currentView(ADMIN);
  if (!view) throw new Error('no modal is open');
  const answer = await socket.send(
    viewSubmission({
      ...UNSIGNED,
      userId: ADMIN,
      teamId: slack.identity.teamId,
      view,
      values,
      triggerId: slack.issueTriggerId({ userId: ADMIN, viewId: view.id }),
    }),
  );
  return slack.applyViewResponse(view.id, answer);
}

describe('Socket Mode (SLACK_APP_TOKEN set, no signing secret)', () => {
  it('connects through apps.connections.open and the hello handshake', () => {
    expect(slack.callCount('apps.connections.open')).toBe(1);
    expect(socket.connections()).toBe(1);
  });

  it('acks a /okta-connect envelope and opens the first step on the stand-in', async () => {
    const answer = await socket.send(
      slashCommand({
        ...UNSIGNED,
        userId: ADMIN,
        teamId: slack.identity.teamId,
        channelId: 'CALERTS',
        triggerId: slack.issueTriggerId({ userId: ADMIN }),
        responseUrl: slack.issueResponseUrl(),
      }),
    );
    expect(answer).toMatchObject({ status: 200, text: '' });
    expect(socket.envelopes().at(-1)?.type).toBe('slash_commands');
    expect(socket.acks().at(-1)?.envelope_id).toBe(socket.envelopes().at(-1)?.envelope_id);
    await slack.waitForCalls('views.open');
    expect(slack.lastCall('views.open')?.response).toMatchObject({ ok: true });
  });

  it("carries each view_submission's response_action in the ack", async () => {
    expect(await submit({ prereqs: ['assigned', 'scopes_granted', 'super_admin'] })).toMatchObject({
      kind: 'pushed',
    });
    const refused = await submit({
      nickname: 'acme-prod',
      domain: 'not a domain',
      client_id: CLIENT_ID,
    });
    expect(refused).toMatchObject({ kind: 'errors', errors: { domain: expect.any(String) } });
    expect(socket.acks().at(-1)?.payload).toMatchObject({ response_action: 'errors' });
    expect(
      await submit({ nickname: 'acme-prod', domain: `https://${ORG}/`, client_id: CLIENT_ID }),
    ).toMatchObject({ kind: 'pushed' });
    // The scope picker's search comes as an interactive envelope; the options ride in the ack.
    const view = slack.currentView(ADMIN);
    if (!view) throw new Error('no modal is open');
    const searched = await socket.send(
      blockSuggestion({
        ...UNSIGNED,
        userId: ADMIN,
        teamId: slack.identity.teamId,
        view,
        blockId: 'scope_pick',
        actionId: 'scope_pick',
        value: 'logs',
      }),
    );
    expect(searched.status).toBe(200);
    const offered = (
      JSON.parse(searched.text) as { option_groups: { options: { value: string }[] }[] }
    ).option_groups.flatMap((group) => group.options.map((o) => o.value));
    expect(offered).toContain('okta.logs.read');
    expect(await submit({ scope_mode: 'default' })).toMatchObject({
      kind: 'updated',
      view: { callback_id: 'connect_done' },
    });
  });

  it('still serves /healthz, the setup page and the Okta callback on PORT', async () => {
    const health = await fetch(`${publicUrl}/healthz`, { signal: AbortSignal.timeout(5000) });
    expect(health.status).toBe(200);

    await slack.waitForCalls('chat.postMessage');
    const dm = slack.messagesTo(ADMIN).at(-1);
    const link = JSON.stringify(dm?.blocks ?? []).match(/"url":"([^"]+\/connect\/[^"]+)"/)?.[1];
    expect(link?.startsWith(`${publicUrl}/connect/`)).toBe(true);

    const browser = new HttpBrowser();
    const setup = await browser.get(link ?? '');
    expect(setup.status).toBe(200);
    const posted = await browser.postForm(link ?? '', {
      csrf: csrfFrom(setup.body),
      client_secret: CLIENT_SECRET,
    });
    expect(posted.status).toBe(303);
    const back = await okta.signIn(posted.location ?? '', {
      username: 'ada@acme.example',
      password: ADMIN_PASSWORD,
    });
    const callback = await browser.get(back.href);
    expect(callback.status).toBe(200);
    expect(
      await bot.flows.connections.findByNickname(slack.identity.teamId, 'acme-prod'),
    ).toMatchObject({
      status: 'active',
      authorizedBy: ADMIN,
    });
  });

  it('has no Slack request URL on PORT: /slack/events is not found', async () => {
    const res = await fetch(`${publicUrl}/slack/events`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
  });
});
