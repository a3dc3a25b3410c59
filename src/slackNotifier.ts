import type { webApi } from '@slack/bolt';
import type { Logger } from './logger.ts';
import type { SlackMessage } from './views/blocks.ts';

/**
 * Sending messages to Slack for flows and pages that are not answering a Slack request:
 * DMs to admins (setup links, results) and posts in a connection's channel.
 */
export interface Notifier {
  /** DMs a user; resolves to false (and logs) when Slack refuses. */
  dm(userId: string, message: SlackMessage): Promise<boolean>;
}

export function createNotifier(client: webApi.WebClient, logger: Logger): Notifier {
  const dmChannels = new Map<string, string>();
  return {
    async dm(userId, message) {
      try {
        let channel = dmChannels.get(userId);
        if (!channel) {
          const opened = await client.conversations.open({ users: userId });
          channel = opened.channel?.id;
          if (!channel) throw new Error('conversations.open returned no channel');
          dmChannels.set(userId, channel);
        }
        await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
        return true;
      } catch (error) {
        logger.error({ err: error, userId }, 'could not send a DM');
        return false;
      }
    },
  };
}
