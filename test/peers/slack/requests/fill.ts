import { isRecord } from '../limits/findings.ts';
import { elementState, type FillValue, isEmptyState, type StateValues } from './element-state.ts';

/** Values keyed by input `block_id`, or by `block_id` then `action_id`. */
export type FillValues = Record<string, FillValue | Record<string, FillValue>>;

export interface FillOptions {
  /**
   * Refuse what Slack's client would not submit: an empty required input, text longer than
   * `max_length` or shorter than `min_length`, more picks than `max_selected_items`.
   * Default true; turn off to test the bot's own server-side checks.
   */
  strict?: boolean;
}

/**
 * `view.state.values` exactly as Slack would send them in a view_submission once the user
 * filled in `values`: every input block appears, unfilled ones with their initial value
 * or an empty value. Throws on a `block_id` the view has no input for.
 */
export function stateValuesFor(
  view: { blocks?: unknown },
  values: FillValues = {},
  options: FillOptions = {},
): StateValues {
  const strict = options.strict ?? true;
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  const state: StateValues = {};
  const used = new Set<string>();
  for (const block of blocks) {
    if (!isRecord(block) || block.type !== 'input' || !isRecord(block.element)) continue;
    const blockId = String(block.block_id);
    const element = block.element;
    const actionId = String(element.action_id);
    const fill = pick(values[blockId], actionId);
    if (values[blockId] !== undefined) used.add(blockId);
    const where = `input ${blockId}/${actionId}`;
    const value = elementState(element, fill, where);
    if (strict) refuseWhatSlackWouldNot(block, element, value, where);
    state[blockId] = { [actionId]: value };
  }
  const unknown = Object.keys(values).filter((id) => !used.has(id));
  if (unknown.length > 0) throw new Error(`the view has no input block ${unknown.join(', ')}`);
  return state;
}

function pick(entry: FillValues[string] | undefined, actionId: string): FillValue | undefined {
  if (isRecord(entry)) return entry[actionId];
  return entry as FillValue | undefined;
}

function refuseWhatSlackWouldNot(
  block: Record<string, unknown>,
  element: Record<string, unknown>,
  state: Record<string, unknown>,
  where: string,
): void {
  if (block.optional !== true && isEmptyState(state as { type: string })) {
    throw new Error(`${where} is required: Slack's client would not submit the view`);
  }
  const text = state.value;
  if (typeof text === 'string') {
    const { max_length: max, min_length: min } = element;
    if (typeof max === 'number' && text.length > max) {
      throw new Error(`${where}: ${text.length} characters exceed max_length ${max}`);
    }
    if (typeof min === 'number' && text.length > 0 && text.length < min) {
      throw new Error(`${where}: ${text.length} characters are under min_length ${min}`);
    }
  }
  const picked = state.selected_options;
  const cap = element.max_selected_items;
  if (Array.isArray(picked) && typeof cap === 'number' && picked.length > cap) {
    throw new Error(`${where}: ${picked.length} picks exceed max_selected_items ${cap}`);
  }
}
