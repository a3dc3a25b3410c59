/**
 * Slack's Block Kit limits (shared/docs/research/slack-bolt-facts.md §3), checked on a
 * built modal or message. Returns one line per broken rule, so a test can
 * `expect(checkLimits(view)).toEqual([])` and see every problem at once.
 */

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const textOf = (value: unknown): string | undefined =>
  isRecord(value) && typeof value.text === 'string' ? value.text : undefined;

class Problems {
  readonly list: string[] = [];

  add(where: string, what: string): void {
    this.list.push(`${where}: ${what}`);
  }

  max(where: string, value: string | undefined, max: number, required = false): void {
    if (value === undefined) {
      if (required) this.add(where, 'missing');
      return;
    }
    if (value.length > max) this.add(where, `${value.length} characters, limit ${max}`);
    if (value.length === 0) this.add(where, 'empty');
  }

  count(where: string, items: unknown[], max: number): void {
    if (items.length > max) this.add(where, `${items.length} items, limit ${max}`);
  }
}

export function checkLimits(surface: unknown): string[] {
  const p = new Problems();
  if (!isRecord(surface)) return ['surface: not an object'];
  const blocks = asArray(surface.blocks);
  if (surface.type === 'modal') {
    p.max('title', textOf(surface.title), 24, true);
    p.max('close', textOf(surface.close), 24);
    p.max('submit', textOf(surface.submit), 24);
    p.count('blocks', blocks, 100);
    if (blocks.some((b) => isRecord(b) && b.type === 'input') && surface.submit === undefined) {
      p.add('submit', 'a modal with inputs needs a submit button');
    }
  } else if (surface.type === 'home') {
    p.count('blocks', blocks, 100);
  } else {
    p.max('text', typeof surface.text === 'string' ? surface.text : undefined, 3000, true);
    p.count('blocks', blocks, 50);
  }
  p.max('callback_id', surface.callback_id as string | undefined, 255);
  p.max('private_metadata', surface.private_metadata as string | undefined, 3000);
  const blockIds = new Set<string>();
  for (const [i, block] of blocks.entries()) checkBlock(p, block, `blocks[${i}]`, blockIds);
  return p.list;
}

function checkBlock(p: Problems, block: unknown, where: string, blockIds: Set<string>): void {
  if (!isRecord(block)) {
    p.add(where, 'not an object');
    return;
  }
  if (typeof block.block_id === 'string') {
    p.max(`${where}.block_id`, block.block_id, 255);
    if (blockIds.has(block.block_id)) p.add(`${where}.block_id`, `duplicate ${block.block_id}`);
    blockIds.add(block.block_id);
  }
  switch (block.type) {
    case 'section':
      p.max(`${where}.text`, textOf(block.text), 3000, true);
      break;
    case 'header':
      p.max(`${where}.text`, textOf(block.text), 150, true);
      break;
    case 'context': {
      const elements = asArray(block.elements);
      p.count(`${where}.elements`, elements, 10);
      for (const [i, e] of elements.entries()) p.max(`${where}.elements[${i}]`, textOf(e), 3000);
      break;
    }
    case 'input':
      p.max(`${where}.label`, textOf(block.label), 2000, true);
      p.max(`${where}.hint`, textOf(block.hint), 2000);
      checkElement(p, block.element, `${where}.element`);
      break;
    case 'actions': {
      const elements = asArray(block.elements);
      p.count(`${where}.elements`, elements, 25);
      const actionIds = new Set<unknown>();
      for (const [i, e] of elements.entries()) {
        checkElement(p, e, `${where}.elements[${i}]`);
        const id = isRecord(e) ? e.action_id : undefined;
        if (actionIds.has(id)) p.add(`${where}.elements[${i}]`, `duplicate action_id ${id}`);
        actionIds.add(id);
      }
      break;
    }
    case 'divider':
      break;
    default:
      p.add(where, `unexpected block type ${String(block.type)}`);
  }
}

function checkElement(p: Problems, element: unknown, where: string): void {
  if (!isRecord(element)) {
    p.add(where, 'not an object');
    return;
  }
  p.max(`${where}.action_id`, element.action_id as string | undefined, 255, true);
  p.max(`${where}.placeholder`, textOf(element.placeholder), 150);
  switch (element.type) {
    case 'button':
      p.max(`${where}.text`, textOf(element.text), 75, true);
      p.max(`${where}.value`, element.value as string | undefined, 2000);
      p.max(`${where}.url`, element.url as string | undefined, 3000);
      break;
    case 'plain_text_input': {
      const max = typeof element.max_length === 'number' ? element.max_length : 3000;
      if (max < 1 || max > 3000) p.add(`${where}.max_length`, `${max} is outside 1–3000`);
      p.max(`${where}.initial_value`, element.initial_value as string | undefined, max);
      break;
    }
    case 'radio_buttons':
    case 'checkboxes':
    case 'static_select':
    case 'multi_static_select':
      checkOptions(p, element, where);
      break;
    case 'multi_external_select':
      // The options come from the bot's answer to a search; only the preselected ones
      // travel in the view, with the limits of any option.
      checkOptions(p, { type: element.type, options: asArray(element.initial_options) }, where);
      break;
    case 'conversations_select':
      break;
    default:
      p.add(where, `unexpected element type ${String(element.type)}`);
  }
}

function checkOptions(p: Problems, element: Json, where: string): void {
  const perList = element.type === 'radio_buttons' || element.type === 'checkboxes' ? 10 : 100;
  const all: Json[] = [];
  const collect = (options: unknown[], at: string) => {
    p.count(at, options, perList);
    for (const [i, o] of options.entries()) {
      if (!isRecord(o)) {
        p.add(`${at}[${i}]`, 'not an object');
        continue;
      }
      p.max(`${at}[${i}].text`, textOf(o.text), 75, true);
      p.max(`${at}[${i}].description`, textOf(o.description), 75);
      // Slack's page says 150; @slack/types says 75: hold to the smaller.
      p.max(`${at}[${i}].value`, o.value as string | undefined, 75, true);
      all.push(o);
    }
  };
  if (element.options !== undefined && element.option_groups !== undefined) {
    p.add(where, 'both options and option_groups');
  }
  collect(asArray(element.options), `${where}.options`);
  const groups = asArray(element.option_groups);
  p.count(`${where}.option_groups`, groups, 100);
  for (const [g, group] of groups.entries()) {
    p.max(`${where}.option_groups[${g}].label`, textOf(isRecord(group) ? group.label : {}), 75);
    collect(asArray(isRecord(group) ? group.options : []), `${where}.option_groups[${g}].options`);
  }
  const initial = [
    ...(element.initial_option === undefined ? [] : [element.initial_option]),
    ...asArray(element.initial_options),
  ];
  for (const [i, chosen] of initial.entries()) {
    if (!all.some((o) => JSON.stringify(o) === JSON.stringify(chosen))) {
      p.add(`${where}.initial[${i}]`, 'does not match any option exactly');
    }
  }
}

/** Every mrkdwn text in a surface, with a message's `text`, which Slack also parses. */
export function mrkdwnTexts(surface: unknown): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isRecord(value)) {
      if (value.type === 'mrkdwn' && typeof value.text === 'string') found.push(value.text);
      Object.values(value).forEach(visit);
    }
  };
  visit(surface);
  if (isRecord(surface) && typeof surface.text === 'string') found.push(surface.text);
  return found;
}

/** Every string anywhere in a surface. */
export function allStrings(surface: unknown): string[] {
  if (typeof surface === 'string') return [surface];
  if (Array.isArray(surface)) return surface.flatMap(allStrings);
  if (isRecord(surface)) return Object.values(surface).flatMap(allStrings);
  return [];
}

/** The block with this block_id; throws so a test fails with a clear message. */
export function blockById(surface: { blocks: readonly unknown[] }, blockId: string): Json {
  const block = surface.blocks.find((b) => isRecord(b) && b.block_id === blockId);
  if (!isRecord(block)) throw new Error(`no block ${blockId}`);
  return block;
}
