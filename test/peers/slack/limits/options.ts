import { type Findings, isRecord } from './findings.ts';
import { LIMITS } from './rules.ts';

interface OptionListRule {
  max: number;
  min?: number;
  /** Only the static selects accept `option_groups`. */
  groups: boolean;
}

/**
 * Checks `options` / `option_groups` of an element and returns every option found, so the
 * caller can check `initial_option(s)` against them.
 */
export function checkOptionList(
  f: Findings,
  element: Record<string, unknown>,
  pointer: string,
  rule: OptionListRule,
): Record<string, unknown>[] {
  const hasOptions = element.options !== undefined;
  const hasGroups = rule.groups && element.option_groups !== undefined;
  if (hasOptions && hasGroups) {
    f.error(pointer, 'must provide either options or option_groups, not both');
  }
  if (!hasOptions && !hasGroups) {
    f.error(`${pointer}/options`, 'missing required field');
    return [];
  }
  const found: Record<string, unknown>[] = [];
  if (hasOptions) {
    const options = f.items(element.options, `${pointer}/options`, rule.max, rule.min ?? 0);
    for (const [i, o] of options.entries()) collect(f, o, `${pointer}/options/${i}`, found);
  }
  if (hasGroups) {
    const ptr = `${pointer}/option_groups`;
    for (const [g, group] of f.items(element.option_groups, ptr, LIMITS.optionGroups).entries()) {
      if (!isRecord(group)) {
        f.error(`${ptr}/${g}`, 'must provide an object');
        continue;
      }
      f.text(group.label, `${ptr}/${g}/label`, {
        max: LIMITS.optionGroupLabel,
        required: true,
        plainOnly: true,
      });
      const inGroup = f.items(group.options, `${ptr}/${g}/options`, LIMITS.optionsPerList);
      for (const [i, o] of inGroup.entries()) collect(f, o, `${ptr}/${g}/options/${i}`, found);
    }
  }
  return found;
}

function collect(f: Findings, option: unknown, pointer: string, into: Record<string, unknown>[]) {
  if (!isRecord(option)) {
    f.error(pointer, 'must provide an object');
    return;
  }
  checkOption(f, option, pointer);
  into.push(option);
}

export function checkOption(f: Findings, option: Record<string, unknown>, pointer: string): void {
  f.text(option.text, `${pointer}/text`, { max: LIMITS.optionText, required: true });
  f.string(option.value, `${pointer}/value`, { max: LIMITS.optionValue, required: true });
  const value = option.value;
  const length = typeof value === 'string' ? value.length : 0;
  if (length > LIMITS.optionValueSafe && length <= LIMITS.optionValue) {
    f.warn(`${pointer}/value`, `is ${length} characters: Slack allows 150, @slack/types says 75`);
  }
  f.text(option.description, `${pointer}/description`, { max: LIMITS.optionDescription });
  f.string(option.url, `${pointer}/url`, { max: LIMITS.url });
}

/** `initial_option` / `initial_options` must be exactly one of the element's options. */
export function checkInitialOptions(
  f: Findings,
  element: Record<string, unknown>,
  pointer: string,
  options: readonly Record<string, unknown>[],
): void {
  if (
    element.initial_option !== undefined &&
    !options.some((o) => same(o, element.initial_option))
  ) {
    f.error(`${pointer}/initial_option`, 'must match one of the provided options');
  }
  if (element.initial_options === undefined) return;
  const initial = f.items(element.initial_options, `${pointer}/initial_options`, Infinity);
  for (const [i, chosen] of initial.entries()) {
    if (!options.some((o) => same(o, chosen))) {
      f.error(`${pointer}/initial_options/${i}`, 'must match one of the provided options');
    }
  }
}

function same(option: Record<string, unknown>, chosen: unknown): boolean {
  return isRecord(chosen) && chosen.value === option.value && textOf(chosen) === textOf(option);
}

function textOf(option: Record<string, unknown>): unknown {
  return isRecord(option.text) ? option.text.text : undefined;
}

export function checkConfirm(f: Findings, confirm: unknown, pointer: string): void {
  if (!isRecord(confirm)) {
    f.error(pointer, 'must provide an object');
    return;
  }
  const plain = { required: true, plainOnly: true };
  f.text(confirm.title, `${pointer}/title`, { max: LIMITS.confirmTitle, ...plain });
  f.text(confirm.text, `${pointer}/text`, { max: LIMITS.confirmText, required: true });
  f.text(confirm.confirm, `${pointer}/confirm`, { max: LIMITS.confirmButton, ...plain });
  f.text(confirm.deny, `${pointer}/deny`, { max: LIMITS.confirmButton, ...plain });
}
