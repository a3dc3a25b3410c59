import type { webApi } from '@slack/bolt';
import type { AlertChannel } from './flows/alerts.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import { type Notifier, slackErrorCode } from './slackNotifier.ts';
import { alertMessage, fixedByReply, resolvedAlertMessage } from './views/alertMessage.ts';

/** Slack errors that mean the channel cannot take the alert: the creator gets a DM instead. */
const CHANNEL_GONE = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'restricted_action',
]);

/** Posts, edits and resolves alerts in Slack (the flow decides when). */
export function createAlertChannel(
  client: webApi.WebClient,
  notifier: Notifier,
  logger: Logger,
  now: () => number,
  metrics: Metrics,
): AlertChannel {
  const slackError = (error: unknown) => {
    const code = slackErrorCode(error);
    metrics.slackErrors.inc({ code });
    return code;
  };
  return {
    async open(connection, incident) {
      const text = alertMessage(connection, incident);
      // No channel, or one that refuses the post: the creator gets the alert by DM.
      const dmFallback = () => notifier.dmPlace(connection.createdBy, text);
      if (!connection.notifyChannel) return dmFallback();
      try {
        const posted = await client.chat.postMessage({
          channel: connection.notifyChannel,
          ...text,
        });
        if (posted.ts && posted.channel) return { channel: posted.channel, ts: posted.ts };
      } catch (error) {
        const code = slackError(error);
        logger.error(
          { connectionId: connection.id, channel: connection.notifyChannel, error: code },
          CHANNEL_GONE.has(code)
            ? 'alert channel unavailable; sending the alert to the creator by DM'
            : 'could not post the alert; sending it to the creator by DM',
        );
      }
      return dmFallback();
    },
    async edit(connection, place, incident) {
      try {
        await client.chat.update({
          channel: place.channel,
          ts: place.ts,
          ...alertMessage(connection, incident),
        });
        return true;
      } catch (error) {
        logger.warn(
          { connectionId: connection.id, error: slackError(error) },
          'could not edit the alert',
        );
        return false;
      }
    },
    async resolve(connection, place, fixedBy) {
      try {
        await client.chat.update({
          channel: place.channel,
          ts: place.ts,
          ...resolvedAlertMessage(connection, fixedBy, now()),
        });
        await client.chat.postMessage({
          channel: place.channel,
          thread_ts: place.ts,
          ...fixedByReply(connection, fixedBy),
        });
      } catch (error) {
        logger.warn(
          { connectionId: connection.id, error: slackError(error) },
          'could not mark the alert resolved',
        );
      }
    },
  };
}
