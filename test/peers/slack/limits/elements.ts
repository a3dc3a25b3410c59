import { type Findings, isRecord } from './findings.ts';
import { checkConfirm, checkInitialOptions, checkOptionList } from './options.ts';
import { LIMITS } from './rules.ts';

const STATIC_SELECTS = new Set(['static_select', 'multi_static_select']);
const TEXT_INPUTS = new Set(['plain_text_input', 'email_text_input', 'url_text_input']);

/**
 * Checks one interactive element (an input's `element`, a section `accessory`, an entry
 * of an actions block) together with everything nested in it.
 */
export function checkElement(f: Findings, element: unknown, pointer: string): void {
  if (!isRecord(element)) {
    f.error(pointer, 'must provide an object');
    return;
  }
  if (typeof element.type !== 'string') {
    f.error(`${pointer}/type`, 'missing required field');
    return;
  }
  f.string(element.action_id, `${pointer}/action_id`, { max: LIMITS.identifier });
  if (element.placeholder !== undefined) {
    f.text(element.placeholder, `${pointer}/placeholder`, {
      max: LIMITS.placeholder,
      plainOnly: true,
    });
  }
  if (element.confirm !== undefined) checkConfirm(f, element.confirm, `${pointer}/confirm`);

  const type = element.type;
  if (type === 'button') checkButton(f, element, pointer);
  else if (type === 'image') {
    f.string(element.alt_text, `${pointer}/alt_text`, { max: LIMITS.imageAltText, required: true });
  } else if (STATIC_SELECTS.has(type)) {
    const options = checkOptionList(f, element, pointer, {
      max: LIMITS.optionsPerList,
      groups: true,
    });
    checkInitialOptions(f, element, pointer, options);
    if (type === 'multi_static_select') {
      f.integer(element.max_selected_items, `${pointer}/max_selected_items`, 1, Infinity);
    }
  } else if (type === 'checkboxes' || type === 'radio_buttons') {
    const max = type === 'checkboxes' ? LIMITS.checkboxOptions : LIMITS.radioOptions;
    const options = checkOptionList(f, element, pointer, { max, groups: false });
    checkInitialOptions(f, element, pointer, options);
  } else if (type === 'overflow') {
    checkOptionList(f, element, pointer, {
      max: LIMITS.overflowOptions,
      min: LIMITS.overflowOptionsMin,
      groups: false,
    });
  } else if (TEXT_INPUTS.has(type)) {
    checkTextInput(f, element, pointer);
  }
}

function checkButton(f: Findings, button: Record<string, unknown>, pointer: string): void {
  f.text(button.text, `${pointer}/text`, {
    max: LIMITS.buttonText,
    required: true,
    plainOnly: true,
  });
  f.string(button.value, `${pointer}/value`, { max: LIMITS.buttonValue });
  f.string(button.url, `${pointer}/url`, { max: LIMITS.url });
}

function checkTextInput(f: Findings, input: Record<string, unknown>, pointer: string): void {
  const { textInputLengthMin: min, textInputLength: max } = LIMITS;
  f.integer(input.max_length, `${pointer}/max_length`, min, max);
  f.integer(input.min_length, `${pointer}/min_length`, 0, max);
  const lo = input.min_length;
  const hi = input.max_length;
  if (typeof lo === 'number' && typeof hi === 'number' && lo > hi) {
    f.error(`${pointer}/min_length`, 'must be less than or equal to max_length');
  }
  f.string(input.initial_value, `${pointer}/initial_value`, {
    max: typeof hi === 'number' ? hi : max,
  });
}
