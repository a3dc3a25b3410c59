import { isRecord } from '../limits/findings.ts';

/**
 * What Slack reports for one element in `view.state.values` (and in a block_actions
 * `actions[]` entry): the element `type` plus one key whose name depends on the type.
 */
export type StateValue = { type: string } & Record<string, unknown>;
export type StateValues = Record<string, Record<string, StateValue>>;

/** What a test "types" or "picks": text, an option value, option values, or ids. */
export type FillValue = string | number | readonly string[] | null;

type Kind = 'text' | 'option' | 'options' | 'id' | 'ids' | 'number';
interface Shape {
  key: string;
  initial: string;
  kind: Kind;
}

const shape = (key: string, initial: string, kind: Kind): Shape => ({ key, initial, kind });

const SHAPES: Record<string, Shape> = {
  plain_text_input: shape('value', 'initial_value', 'text'),
  email_text_input: shape('value', 'initial_value', 'text'),
  url_text_input: shape('value', 'initial_value', 'text'),
  number_input: shape('value', 'initial_value', 'text'),
  static_select: shape('selected_option', 'initial_option', 'option'),
  external_select: shape('selected_option', 'initial_option', 'option'),
  radio_buttons: shape('selected_option', 'initial_option', 'option'),
  overflow: shape('selected_option', 'initial_option', 'option'),
  multi_static_select: shape('selected_options', 'initial_options', 'options'),
  multi_external_select: shape('selected_options', 'initial_options', 'options'),
  checkboxes: shape('selected_options', 'initial_options', 'options'),
  conversations_select: shape('selected_conversation', 'initial_conversation', 'id'),
  channels_select: shape('selected_channel', 'initial_channel', 'id'),
  users_select: shape('selected_user', 'initial_user', 'id'),
  multi_conversations_select: shape('selected_conversations', 'initial_conversations', 'ids'),
  multi_channels_select: shape('selected_channels', 'initial_channels', 'ids'),
  multi_users_select: shape('selected_users', 'initial_users', 'ids'),
  datepicker: shape('selected_date', 'initial_date', 'text'),
  timepicker: shape('selected_time', 'initial_time', 'text'),
  datetimepicker: shape('selected_date_time', 'initial_date_time', 'number'),
};

const EXTERNAL = new Set(['external_select', 'multi_external_select']);

/**
 * The state Slack would report for `element` after the user entered `fill`; with `fill`
 * undefined, what the element shows initially. Throws when the user could not have
 * entered `fill` (an option the element does not offer, a list for a single select).
 */
export function elementState(
  element: Record<string, unknown>,
  fill: FillValue | undefined,
  where: string,
): StateValue {
  const type = String(element.type);
  const s = SHAPES[type];
  if (!s) throw new Error(`${where}: no known state shape for element type ${type}`);
  const raw = fill === undefined ? element[s.initial] : fill;
  return { type, [s.key]: convert(s, element, raw, fill === undefined, where) };
}

function convert(
  s: Shape,
  element: Record<string, unknown>,
  raw: unknown,
  initial: boolean,
  where: string,
) {
  if (raw === undefined || raw === null)
    return s.kind === 'options' || s.kind === 'ids' ? [] : null;
  if (initial) return raw;
  switch (s.kind) {
    case 'text':
      return String(raw);
    case 'number':
      return Number(raw);
    case 'id':
      return single(raw, where);
    case 'option':
      return pickOption(element, single(raw, where), where);
    case 'ids':
      return list(raw, where);
    case 'options':
      return list(raw, where).map((value) => pickOption(element, value, where));
  }
}

function single(raw: unknown, where: string): string {
  if (Array.isArray(raw)) throw new Error(`${where}: takes one value, got a list`);
  return String(raw);
}

function list(raw: unknown, where: string): string[] {
  if (!Array.isArray(raw)) throw new Error(`${where}: takes a list of values`);
  return raw.map(String);
}

function pickOption(element: Record<string, unknown>, value: string, where: string): unknown {
  if (EXTERNAL.has(String(element.type))) {
    return { text: { type: 'plain_text', text: value, emoji: true }, value };
  }
  const found = optionsOf(element).find((o) => o.value === value);
  if (!found) throw new Error(`${where}: the element offers no option with value "${value}"`);
  return found;
}

/** Every option of an element, including those inside option groups. */
export function optionsOf(element: Record<string, unknown>): Record<string, unknown>[] {
  const groups = Array.isArray(element.option_groups) ? element.option_groups : [];
  const lists = [element.options, ...groups.map((g) => (isRecord(g) ? g.options : undefined))];
  return lists.flatMap((list) => (Array.isArray(list) ? list.filter(isRecord) : []));
}

/** True when the state holds nothing the user entered or picked. */
export function isEmptyState(state: StateValue): boolean {
  const value = Object.entries(state).find(([key]) => key !== 'type')?.[1];
  return (
    value === null ||
    value === undefined ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}
