import { describe, expect, it } from 'vitest';
import { seedActive } from '../e2e/seed.ts';
import { slashCommand } from '../peers/slack/index.ts';
import {
  ADMIN,
  ALERTS,
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

      bot.child.signal('SIGTERM');
      await waitUntil(() => refused(bot.port), 'new connections to be refused', {
        detail: bot.child.stderr,
      });
      // Still there, waiting for the work under way.
      expect(bot.child.exited()).toBe(false);
      expect(world.slack.responseUrlPosts()).toHaveLength(0);

      world.okta.clearFaults(USERINFO);
      const { code, stdout } = await bot.child.finished(15_000);
      expect(code).toBe(0);
      const posts = world.slack.responseUrlPosts();
      expect(posts).toHaveLength(1);
      expect(JSON.stringify(posts[0]?.body)).toContain('calls to Okta worked');
      const messages = stdout
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as { msg: string }).msg);
      expect(messages).not.toContain('connection test failed');
      expect(messages.at(-1)).toBe('stopped; database closed');
    }));
});
