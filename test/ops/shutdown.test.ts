import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  ADMIN_PASSWORD,
  BOT_TOKEN,
  CLIENT_ID,
  CLIENT_SECRET,
  ENCRYPTION_KEY,
  freePort,
  ORG,
  SIGNING_SECRET,
} from '../e2e/harness.ts';
import { csrfFrom, HttpBrowser, type PageAnswer } from '../e2e/httpBrowser.ts';
import { type OktaPeer, startOktaPeer } from '../peers/okta/index.ts';
import { type SlackPeer, SlackUser, startSlackPeer } from '../peers/slack/index.ts';
import { cleanEnv, startTsx, type TsxProcess, waitForHealthz } from '../tsxProcess.ts';
import { refused, waitUntil } from '../waitUntil.ts';

/**
 * `npm start` stopped by SIGTERM while a setup page POST waits on Okta's discovery
 * document: the port stops taking connections, the POST still gets its answer, then the
 * database is closed and the process exits 0. A second signal does not wait.
 */

/** The setup POST's client check: discovery was read (and cached) at the details step. */
const TOKEN = '/oauth2/v1/token';

let okta: OktaPeer;
let slack: SlackPeer;
const dirs: string[] = [];
const children: TsxProcess[] = [];

/** `npm start` in a child process on `port`, answering /healthz. */
async function startBot(port: number) {
  const dir = mkdtempSync(join(tmpdir(), 'okc-shutdown-'));
  dirs.push(dir);
  const publicUrl = `http://127.0.0.1:${port}`;
  const databasePath = join(dir, 'data', 'bot.sqlite');
  const bot = startTsx('src/main.ts', {
    cwd: dir,
    env: cleanEnv({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PUBLIC_URL: publicUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_PATH: databasePath,
      ENCRYPTION_KEY,
      OKTA_ORIGIN_OVERRIDES: JSON.stringify({ [ORG]: okta.origin }),
    }),
  });
  children.push(bot);
  await waitForHealthz(bot, publicUrl, { timeoutMs: 15_000, intervalMs: 20 });
  return { bot, port, publicUrl, databasePath };
}

beforeAll(async () => {
  okta = await startOktaPeer();
  slack = await startSlackPeer({
    botToken: BOT_TOKEN,
    users: [{ id: ADMIN, isAdmin: true }],
    channels: [{ id: 'CALERTS', name: 'okta-alerts' }],
  });
});

afterEach(() => {
  for (const bot of children.splice(0)) bot.killGroup();
  okta.clearFaults();
});

afterAll(async () => {
  await slack?.close();
  await okta?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The admin's wizard, over signed HTTP to the child process; resolves with the setup link. */
async function setupLink(publicUrl: string): Promise<string> {
  const admin = new SlackUser({
    peer: slack,
    requestUrl: `${publicUrl}/slack/events`,
    signingSecret: SIGNING_SECRET,
    userId: ADMIN,
    channelId: 'CALERTS',
  });
  expect((await admin.command('')).status).toBe(200);
  await slack.waitForCalls('views.open');
  await admin.submit({ prereqs: ['assigned', 'scopes_granted', 'super_admin'] });
  await admin.submit({ nickname: 'acme-prod', domain: `https://${ORG}/`, client_id: CLIENT_ID });
  const last = await admin.submit({ scope_mode: 'default' });
  expect(last.outcome).toMatchObject({ kind: 'updated' });
  await slack.waitForCalls('chat.postMessage');
  const blocks = JSON.stringify(slack.messagesTo(ADMIN).at(-1)?.blocks ?? []);
  const link = blocks.match(/"url":"([^"]+\/connect\/[^"]+)"/)?.[1];
  if (!link) throw new Error(`no setup link in ${blocks.slice(0, 300)}`);
  return link;
}

describe('SIGTERM while a request is under way', () => {
  it('refuses new connections, finishes the request, closes the database and exits 0', async () => {
    const { bot, port, publicUrl, databasePath } = await startBot(await freePort());
    okta.addApp({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris: [`${publicUrl}/oauth/okta/callback`],
      grantTypes: ['authorization_code', 'refresh_token'],
      grantedScopes: ['okta.users.read'],
    });
    okta.addUser({
      login: 'ada@acme.example',
      password: ADMIN_PASSWORD,
      roles: ['SUPER_ADMIN'],
      assignedTo: [CLIENT_ID],
    });
    const link = await setupLink(publicUrl);
    const browser = new HttpBrowser();
    const setup = await browser.get(link);
    expect(setup.status).toBe(200);

    // Okta holds its token endpoint answer (the setup page's client check) until the test lets it go.
    okta.injectFault(TOKEN, { kind: 'delay', ms: 60_000 });
    let answer: PageAnswer | undefined;
    const posting = browser
      .postForm(link, { csrf: csrfFrom(setup.body), client_secret: CLIENT_SECRET })
      .then((posted) => {
        answer = posted;
        return posted;
      });
    await waitUntil(
      () => okta.requests.some((r) => r.path === TOKEN && r.status === 0),
      'the POST to reach Okta',
      { intervalMs: 20, detail: bot.stderr },
    );

    bot.signal('SIGTERM');
    await waitUntil(() => refused(port), 'new connections to be refused', {
      intervalMs: 20,
      detail: bot.stderr,
    });
    expect(bot.exited()).toBe(false);
    expect(answer).toBeUndefined();

    okta.clearFaults(TOKEN);
    const posted = await posting;
    expect(posted.status).toBe(303);
    expect(posted.location?.startsWith(`${okta.origin}/oauth2/v1/authorize?`)).toBe(true);
    expect(posted.headers.get('connection')).toBe('close');

    const { code, signal, stdout } = await bot.finished(15_000);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const messages = stdout
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toContain('shutting down');
    expect(messages.at(-1)).toBe('stopped; database closed');

    // Closed cleanly: SQLite removed its write-ahead log, and the POST's write is there.
    expect(existsSync(`${databasePath}-wal`)).toBe(false);
    const sqlite = new Database(databasePath, { readonly: true });
    try {
      const rows = sqlite.prepare('SELECT link_used_at, state_hash FROM auth_requests').all() as {
        link_used_at: number | null;
        state_hash: string | null;
      }[];
      expect(rows).toEqual([{ link_used_at: expect.any(Number), state_hash: expect.any(String) }]);
    } finally {
      sqlite.close();
    }
  });
});

describe('a second signal while stopping', () => {
  it('stops at once with exit code 1 instead of waiting out the grace period', async () => {
    const { bot, port } = await startBot(await freePort());
    // A Slack request whose body never finishes arriving: under way until the grace ends.
    // Node answers `Expect: 100-continue` as it hands the request to the bot's server.
    const stalled = connect(port, '127.0.0.1');
    stalled.on('error', () => {});
    let received = '';
    stalled.setEncoding('utf8').on('data', (chunk: string) => {
      received += chunk;
    });
    stalled.write(
      'POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n',
    );
    await waitUntil(() => received.startsWith('HTTP/1.1 100 Continue'), 'the request to start', {
      intervalMs: 20,
      detail: bot.stderr,
    });
    stalled.write('{"type":');
    try {
      bot.signal('SIGTERM');
      await waitUntil(() => refused(port), 'new connections to be refused', {
        intervalMs: 20,
        detail: bot.stderr,
      });
      expect(bot.exited()).toBe(false);

      bot.signal('SIGINT');
      const { code, stdout } = await bot.finished(5_000);
      expect(code).toBe(1);
      expect(stdout).toContain('"msg":"stopping at once"');
    } finally {
      stalled.destroy();
    }
  });
});
