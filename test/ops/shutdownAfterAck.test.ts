import { createServer, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { freePort } from '../e2e/harness.ts';
import { authorizeInBrowser, linkIn, toScopesStep } from '../e2e/journey.ts';
import { seedActive } from '../e2e/seed.ts';
import { slashCommand } from '../peers/slack/index.ts';
import {
  ADMIN,
  ALERTS,
  type BotProcess,
  openStore,
  SIGNING_SECRET,
  startBot,
  withWorld,
} from '../resilience/botProcess.ts';
import { refused, waitUntil } from '../waitUntil.ts';

/**
 * Slack's requests are answered (acknowledged) first and worked on after: a command's
 * result goes to its response_url, a modal opens with views.open, a setup link is DM'd.
 * SIGTERM in a rolling deploy must let that work finish too, not only the HTTP answers
 * under way, before the bot closes its database and exits.
 */

const USERINFO = '/oauth2/v1/userinfo';

/**
 * The way to Slack's Web API, which can hold one method's calls until `release()`: a
 * Slack that is slow to answer, seen from the bot.
 */
async function slackWay(apiUrl: string) {
  const target = new URL(apiUrl);
  let heldMethod: string | null = null;
  const held: (() => void)[] = [];
  const server = createServer((req, res) => {
    const pass = () => {
      const upstream = request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: `${target.pathname.replace(/\/$/, '')}${req.url?.replace(/^\/api/, '')}`,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(upstream);
    };
    if (heldMethod !== null && req.url?.endsWith(`/${heldMethod}`)) held.push(pass);
    else pass();
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    hold(method: string) {
      heldMethod = method;
    },
    holding: () => held.length,
    release() {
      heldMethod = null;
      for (const pass of held.splice(0)) pass();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** SIGTERM, then: new connections are refused while the process is still there. */
async function terminate(bot: BotProcess) {
  bot.child.signal('SIGTERM');
  await waitUntil(() => refused(bot.port), 'new connections to be refused', {
    detail: bot.child.stderr,
  });
}

describe('SIGTERM while a Slack request is worked on after its answer', () => {
  it('finishes the work (the test result reaches the response_url) before closing the database and exiting 0', () =>
    withWorld({}, async (world) => {
      const store = openStore(world);
      await seedActive(world, store.connections, 1, { prefix: 'tested' });
      store.close();
      const bot = await startBot(world);
      // Okta holds the test's first call until the test lets it go.
      world.okta.injectFault(USERINFO, { kind: 'delay', ms: 60_000 });

      const answer = await slashCommand({
        signingSecret: SIGNING_SECRET,
        userId: ADMIN,
        teamId: world.teamId,
        channelId: ALERTS,
        text: 'test tested-0',
        responseUrl: world.slack.issueResponseUrl(),
      }).send(bot.requestUrl);
      expect(answer.status).toBe(200);
      expect(answer.text).toContain('Testing tested-0');
      await waitUntil(
        () => world.okta.requests.some((r) => r.path === USERINFO && r.status === 0),
        'the test to call Okta',
        { detail: bot.child.stderr },
      );

      await terminate(bot);
      // Still there, waiting for the work under way.
      expect(bot.child.exited()).toBe(false);
      expect(world.slack.responseUrlPosts()).toHaveLength(0);

      world.okta.clearFaults(USERINFO);
      const { code } = await bot.child.finished(15_000);
      expect(code).toBe(0);
      const posts = world.slack.responseUrlPosts();
      expect(posts).toHaveLength(1);
      expect(JSON.stringify(posts[0]?.body)).toContain('calls to Okta worked');
      const messages = bot.logs().map((line) => line.msg);
      expect(messages).not.toContain('connection test failed');
      expect(messages.at(-1)).toBe('stopped; database closed');
    }));

  it('sends the callback’s result DM, even with Slack slow to answer, before closing the database and exiting 0', async () => {
    const port = await freePort();
    await withWorld({ redirectPorts: [port] }, async (world) => {
      const slack = await slackWay(world.slack.apiUrl);
      try {
        const env = { SLACK_API_URL: slack.apiUrl };
        const first = await startBot(world, { port, env });
        const admin = world.user(ADMIN, first);
        await toScopesStep(world, admin, { nickname: 'told' });
        expect((await admin.submit({ scope_mode: 'default' })).outcome).toMatchObject({
          kind: 'updated',
        });
        await waitUntil(() => world.slack.messagesTo(ADMIN).length === 1, 'the setup-link DM');
        const link = linkIn(world.slack.messagesTo(ADMIN)[0]);
        // Another process takes the callback (another replica, or this one restarted): it
        // opens the admin's DM before posting in it.
        await first.kill();
        const bot = await startBot(world, { port, env });
        slack.hold('conversations.open');

        const { callback } = await authorizeInBrowser(world, link);
        expect(callback.status).toBe(200);
        await waitUntil(() => slack.holding() === 1, 'the result DM to be on its way');
        await terminate(bot);
        expect(bot.child.exited()).toBe(false);

        slack.release();
        const { code } = await bot.child.finished(15_000);
        expect(code).toBe(0);
        expect(world.slack.messagesTo(ADMIN)).toHaveLength(2);
        expect(JSON.stringify(world.slack.messagesTo(ADMIN)[1]?.blocks)).toContain('told');
        const messages = bot.logs().map((line) => line.msg);
        expect(messages).not.toContain('could not send a DM');
        expect(messages.at(-1)).toBe('stopped; database closed');
      } finally {
        await slack.close();
      }
    });
  }, 60_000);
});
