import type { webApi } from '@slack/bolt';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { SlackMessage } from './views/blocks.ts';

/**
 * Sending messages to Slack for flows and pages that are not answering a Slack request:
 * DMs to admins (setup links, results, alerts whose channel is gone).
 */
export interface Notifier {
  /** DMs a user; resolves to false (and logs) when Slack refuses. */
  dm(userId: string, message: SlackMessage): Promise<boolean>;
  /** Same, returning where the message landed (for later edits), or null. */
  dmPlace(userId: string, message: SlackMessage): Promise<{ channel: string; ts: string } | null>;
}

/** The Web API's error code of a failed call (`channel_not_found`, …), or `fallback`. */
export function slackErrorCode(error: unknown, fallback = 'request_failed'): string {
  return (error as { data?: { error?: string } }).data?.error ?? fallback;
}

export function createNotifier(
  client: webApi.WebClient,
  logger: Logger,
  metrics: Metrics,
): Notifier {
  const dmChannels = new Map<string, string>();
  const dmPlace = async (userId: string, message: SlackMessage) => {
    try {
      let channel = dmChannels.get(userId);
      if (!channel) {
        const opened = await client.conversations.open({ users: userId });
        channel = opened.channel?.id;
        if (!channel) throw new Error('conversations.open returned no channel');
        dmChannels.set(userId, channel);
      }
      const posted = await client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks,
      });
      return posted.ts ? { channel, ts: posted.ts } : null;
    } catch (error) {
      metrics.slackErrors.inc({ code: slackErrorCode(error) });
      logger.error({ err: error, userId }, 'could not send a DM');
      return null;
    }
  };
  return {
    dmPlace,
    dm: async (userId, message) => (await dmPlace(userId, message)) !== null,
  };
}
