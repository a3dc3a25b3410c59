import type { RespondFn } from '@slack/bolt';
import type { SlackMessage } from '../views/blocks.ts';
import type { HandlerDeps } from './deps.ts';

/**
 * Answers the person who clicked: in the conversation when the click came with a
 * response_url (a button in a message), else by DM — a click in the Home tab or in a modal
 * has no response_url, and Bolt leaves `respond` undefined there despite its type.
 */
export async function replyTo(
  deps: HandlerDeps,
  who: { userId: string; body: unknown; respond: RespondFn | undefined },
  message: SlackMessage,
): Promise<void> {
  const responseUrl = (who.body as { response_url?: unknown }).response_url;
  if (who.respond && typeof responseUrl === 'string') {
    await who.respond({ response_type: 'ephemeral', replace_original: false, ...message });
    return;
  }
  await deps.notifier.dm(who.userId, message);
}
