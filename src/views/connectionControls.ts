import type { types } from '@slack/bolt';
import type { Connection } from '../db/connectionModel.ts';
import { actions, button } from './blocks.ts';
import { ACTION, connActionsBlockId } from './ids.ts';
import { code } from './mrkdwn.ts';

/** For a key-pair connection, the key it signs with and whether a new one waits for Okta. */
export function keyPairLine(connection: Connection): string | null {
  if (!connection.clientKey) return null;
  const waiting = connection.pendingClientKey ? '; a new key waits for Okta (key rotation)' : '';
  return `Key pair, key ID ${code(connection.clientKey.kid)}${waiting}`;
}

/**
 * The buttons under one connection, in the list and in the Home tab; a key-pair
 * connection also gets *Rotate key pair*.
 */
export function connectionButtons(id: string, keyPair = false): types.ActionsBlock {
  return actions(
    [
      button({ text: 'Reauthorize', actionId: ACTION.connReauth, value: id }),
      button({ text: 'Test', actionId: ACTION.connTest, value: id }),
      button({ text: 'Edit scopes', actionId: ACTION.connScopes, value: id }),
      button({ text: 'Rename', actionId: ACTION.connRename, value: id }),
      ...(keyPair
        ? [button({ text: 'Rotate key pair', actionId: ACTION.connRotateKey, value: id })]
        : []),
      button({ text: 'Delete', actionId: ACTION.connDelete, value: id, style: 'danger' }),
    ],
    connActionsBlockId(id),
  );
}

/**
 * Previous and Next share one action_id (the handler listens to one), and Slack refuses
 * a repeated action_id within one block: each gets a block of its own.
 */
export function pagingButtons(
  page: number,
  pageCount: number,
  actionId: string,
  blockIds: { previous: string; next: string },
): types.ActionsBlock[] {
  const blocks: types.ActionsBlock[] = [];
  if (page > 1) {
    blocks.push(
      actions([button({ text: 'Previous', actionId, value: String(page - 1) })], blockIds.previous),
    );
  }
  if (page < pageCount) {
    blocks.push(
      actions([button({ text: 'Next', actionId, value: String(page + 1) })], blockIds.next),
    );
  }
  return blocks;
}
