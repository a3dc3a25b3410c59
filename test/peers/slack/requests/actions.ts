import { isRecord } from '../limits/findings.ts';
import { elementState, type FillValue } from './element-state.ts';
import { slackTimestamp } from './identity.ts';

/** A block_actions `actions[]` entry: what the user clicked or picked. */
export type ActionPayload = Record<string, unknown> & {
  type: string;
  block_id: string;
  action_id: string;
};

/** Finds the interactive element `blockId`/`actionId` in a list of blocks, wherever it sits. */
export function findElement(
  blocks: unknown,
  blockId: string,
  actionId: string,
): Record<string, unknown> | undefined {
  if (!Array.isArray(blocks)) return undefined;
  const block = blocks.find((b) => isRecord(b) && b.block_id === blockId);
  if (!isRecord(block)) return undefined;
  const candidates = [
    block.element,
    block.accessory,
    ...(Array.isArray(block.elements) ? block.elements : []),
  ];
  return candidates.find(
    (e): e is Record<string, unknown> => isRecord(e) && e.action_id === actionId,
  );
}

/**
 * The `actions[]` entry Slack sends when the user clicks a button or picks `fill` in the
 * element `blockId`/`actionId` of `blocks`. Throws when there is no such element.
 */
export function actionFor(
  blocks: unknown,
  blockId: string,
  actionId: string,
  fill?: FillValue,
): ActionPayload {
  const element = findElement(blocks, blockId, actionId);
  if (!element) throw new Error(`no interactive element ${blockId}/${actionId} in these blocks`);
  const common = { block_id: blockId, action_id: actionId, action_ts: slackTimestamp() };
  if (element.type === 'button') {
    const button: ActionPayload = { type: 'button', ...common, text: element.text };
    if (element.value !== undefined) button.value = element.value;
    if (element.style !== undefined) button.style = element.style;
    return button;
  }
  const state = elementState(element, fill, `${blockId}/${actionId}`);
  return { ...state, ...common };
}
