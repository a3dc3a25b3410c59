import { checkElement } from './elements.ts';
import { type Findings, isRecord } from './findings.ts';
import { LIMITS } from './rules.ts';

/**
 * Walks a surface's blocks. `blockIds` is shared across the surface because Slack refuses
 * a view or message that repeats a `block_id`.
 */
export function checkBlocks(f: Findings, blocks: unknown, pointer: string, max: number): void {
  const blockIds = new Set<string>();
  for (const [i, block] of f.items(blocks, pointer, max).entries()) {
    checkBlock(f, block, `${pointer}/${i}`, blockIds);
  }
}

function checkBlock(f: Findings, block: unknown, pointer: string, blockIds: Set<string>): void {
  if (!isRecord(block)) {
    f.error(pointer, 'must provide an object');
    return;
  }
  const id = block.block_id;
  f.string(id, `${pointer}/block_id`, { max: LIMITS.identifier });
  if (typeof id === 'string') {
    if (blockIds.has(id)) f.error(`${pointer}/block_id`, `duplicate block_id: ${id}`);
    blockIds.add(id);
  }
  switch (block.type) {
    case 'section':
      checkSection(f, block, pointer);
      break;
    case 'header':
      f.text(block.text, `${pointer}/text`, {
        max: LIMITS.headerText,
        required: true,
        plainOnly: true,
      });
      break;
    case 'input':
      checkInput(f, block, pointer);
      break;
    case 'actions':
      checkActions(f, block, pointer);
      break;
    case 'context':
      checkContext(f, block, pointer);
      break;
    case 'image':
      f.string(block.alt_text, `${pointer}/alt_text`, { max: LIMITS.imageAltText, required: true });
      f.string(block.image_url, `${pointer}/image_url`, { max: LIMITS.url });
      f.text(block.title, `${pointer}/title`, { max: LIMITS.imageTitle, plainOnly: true });
      break;
    case undefined:
      f.error(`${pointer}/type`, 'missing required field');
      break;
    default:
  }
}

function checkSection(f: Findings, block: Record<string, unknown>, pointer: string): void {
  if (block.text === undefined && block.fields === undefined) {
    f.error(pointer, 'must provide either text or fields');
  }
  f.text(block.text, `${pointer}/text`, { max: LIMITS.sectionText, min: LIMITS.sectionTextMin });
  if (block.fields !== undefined) {
    const fields = f.items(block.fields, `${pointer}/fields`, LIMITS.sectionFields);
    for (const [i, field] of fields.entries()) {
      f.text(field, `${pointer}/fields/${i}`, { max: LIMITS.sectionField, required: true });
    }
  }
  if (block.accessory !== undefined) checkElement(f, block.accessory, `${pointer}/accessory`);
}

function checkInput(f: Findings, block: Record<string, unknown>, pointer: string): void {
  f.text(block.label, `${pointer}/label`, {
    max: LIMITS.inputLabel,
    required: true,
    plainOnly: true,
  });
  f.text(block.hint, `${pointer}/hint`, { max: LIMITS.inputHint, plainOnly: true });
  if (block.element === undefined) f.error(`${pointer}/element`, 'missing required field');
  else checkElement(f, block.element, `${pointer}/element`);
}

function checkActions(f: Findings, block: Record<string, unknown>, pointer: string): void {
  const ptr = `${pointer}/elements`;
  const actionIds = new Set<string>();
  for (const [i, element] of f.items(block.elements, ptr, LIMITS.actionsElements, 1).entries()) {
    checkElement(f, element, `${ptr}/${i}`);
    const actionId = isRecord(element) ? element.action_id : undefined;
    if (typeof actionId !== 'string') continue;
    if (actionIds.has(actionId)) {
      f.error(`${ptr}/${i}/action_id`, `duplicate action_id: ${actionId}`);
    }
    actionIds.add(actionId);
  }
}

function checkContext(f: Findings, block: Record<string, unknown>, pointer: string): void {
  const ptr = `${pointer}/elements`;
  for (const [i, element] of f.items(block.elements, ptr, LIMITS.contextElements, 1).entries()) {
    if (isRecord(element) && element.type === 'image') checkElement(f, element, `${ptr}/${i}`);
    else f.text(element, `${ptr}/${i}`, { max: LIMITS.sectionText, required: true });
  }
}
