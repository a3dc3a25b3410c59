import type { webApi } from '@slack/bolt';
import type { SlackUserFacts, UserDirectory } from './flows/checkPermission.ts';
import { slackErrorCode } from './slackNotifier.ts';

/** Asks Slack's `users.info` whether a user is a workspace admin or owner. */
export function slackDirectory(client: webApi.WebClient): UserDirectory {
  return {
    async lookup(userId): Promise<SlackUserFacts | null> {
      try {
        const answer = await client.users.info({ user: userId });
        const user = answer.user;
        if (!user) return null;
        return {
          isAdmin: user.is_admin === true,
          isOwner: user.is_owner === true,
          deleted: user.deleted === true,
        };
      } catch (error) {
        if (slackErrorCode(error) === 'user_not_found') return null;
        throw error;
      }
    },
  };
}
