import { startSlackPeer } from '../../test/peers/slack/index.ts';
import { BOT_TOKEN, SLACK_CHANNELS, SLACK_USERS, TEAM_ID } from '../lib/fixtures.ts';
import { serveCommands } from '../lib/ipc.ts';

/**
 * The Slack Web API stand-in for the load runs, in its own process: every views.open
 * validates the whole view against Block Kit's limits, which is real work under load.
 * Trigger ids are lenient (pre-signed requests are replayed for seconds) and only the
 * last hundred calls are kept.
 */
const slack = await startSlackPeer({
  botToken: BOT_TOKEN,
  teamId: TEAM_ID,
  users: SLACK_USERS,
  channels: SLACK_CHANNELS,
  recordCalls: 100,
  triggers: 'lenient',
});

serveCommands(
  { apiUrl: slack.apiUrl },
  {
    /** How many calls of `method` arrived, and how the last one went. */
    calls(args: { method: string }) {
      const last = slack.lastCall(args.method);
      return {
        count: slack.callCount(args.method),
        lastOk: last?.response.ok ?? null,
        lastError: (last?.response.error as string | undefined) ?? null,
      };
    },
  },
  () => slack.close(),
);
