/** Builders for the limit tests: the smallest valid payload around the thing being measured. */
import { expect, it } from 'vitest';
import { validateView } from './limits/validate.ts';
import { plain } from './test-support.ts';

export type View = Record<string, unknown>;

export const modal = (blocks: unknown[], extra: View = {}): View => ({
  type: 'modal',
  title: plain('Connect Okta'),
  submit: plain('Next'),
  blocks,
  ...extra,
});
export const home = (blocks: unknown[]): View => ({ type: 'home', blocks });
export const many = <T>(n: number, make: (i: number) => T): T[] =>
  Array.from({ length: n }, (_, i) => make(i));
export const option = (text: string, value = 'v') => ({ text: plain(text), value });
export const options = (n: number) => many(n, (i) => option(`o${i}`, `v${i}`));
export const input = (element: View, extra: View = {}) => ({
  type: 'input',
  block_id: 'in',
  label: plain('Label'),
  element: { action_id: 'a', ...element },
  ...extra,
});
export const section = (extra: View) => ({
  type: 'section',
  block_id: 's',
  text: plain('text'),
  ...extra,
});
export const actions = (elements: unknown[]) =>
  modal([{ type: 'actions', block_id: 'act', elements }]);
export const button = (extra: View = {}) => ({
  type: 'button',
  action_id: 'b',
  text: plain('Go'),
  ...extra,
});
export const confirm = (over: View) => ({
  title: plain('Sure?'),
  text: plain('This deletes it'),
  confirm: plain('Delete'),
  deny: plain('Keep'),
  ...over,
});
export const select = (extra: View) => modal([input({ type: 'static_select', ...extra })]);

/** One documented limit: `build(n)` makes a payload whose measured thing has size `n`. */
export interface Limit {
  name: string;
  pointer: string;
  max: number;
  min?: number;
  build: (n: number) => View;
  check?: (payload: View) => ReturnType<typeof validateView>;
}

const errors = (limit: Limit, n: number) =>
  (limit.check ?? validateView)(limit.build(n)).filter((p) => p.severity === 'error');
const errorsAt = (limit: Limit, n: number) =>
  errors(limit, n).filter((p) => p.pointer === limit.pointer);

/** Both sides of each boundary: the limit itself is fully valid, one past it is refused there. */
export function testBoundaries(limits: Limit[]): void {
  it.each(limits)('$name: accepts $max, refuses one more', (limit) => {
    expect(errors(limit, limit.max)).toEqual([]);
    expect(errorsAt(limit, limit.max + 1)).toHaveLength(1);
  });

  const withMin = limits.filter((l) => l.min !== undefined);
  if (withMin.length === 0) return;
  it.each(withMin)('$name: accepts $min, refuses one less', (limit) => {
    const min = limit.min ?? 0;
    expect(errors(limit, min)).toEqual([]);
    expect(errorsAt(limit, min - 1)).toHaveLength(1);
  });
}
