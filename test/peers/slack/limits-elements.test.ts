import { describe, expect, it } from 'vitest';
import { LIMITS } from './limits/rules.ts';
import { validateView } from './limits/validate.ts';
import {
  actions,
  button,
  confirm,
  input,
  type Limit,
  many,
  modal,
  option,
  options,
  section,
  select,
  testBoundaries,
} from './limits-fixtures.ts';
import { chars, plain } from './test-support.ts';

const limits: Limit[] = [
  {
    name: 'button text',
    pointer: '/view/blocks/0/elements/0/text/text',
    max: 75,
    build: (n) => actions([button({ text: plain(chars(n)) })]),
  },
  {
    name: 'button value',
    pointer: '/view/blocks/0/elements/0/value',
    max: 2000,
    build: (n) => actions([button({ value: chars(n) })]),
  },
  {
    name: 'button url',
    pointer: '/view/blocks/0/elements/0/url',
    max: 3000,
    build: (n) => actions([button({ url: chars(n) })]),
  },
  {
    name: 'option text',
    pointer: '/view/blocks/0/element/options/0/text/text',
    max: 75,
    build: (n) => select({ options: [option(chars(n))] }),
  },
  {
    name: 'option value',
    pointer: '/view/blocks/0/element/options/0/value',
    max: 150,
    build: (n) => select({ options: [option('t', chars(n))] }),
  },
  {
    name: 'option description',
    pointer: '/view/blocks/0/element/options/0/description/text',
    max: 75,
    build: (n) => select({ options: [{ ...option('t'), description: plain(chars(n)) }] }),
  },
  {
    name: 'options in a select',
    pointer: '/view/blocks/0/element/options',
    max: 100,
    build: (n) => select({ options: options(n) }),
  },
  {
    name: 'options in an option group',
    pointer: '/view/blocks/0/element/option_groups/0/options',
    max: 100,
    build: (n) => select({ option_groups: [{ label: plain('g'), options: options(n) }] }),
  },
  {
    name: 'option groups',
    pointer: '/view/blocks/0/element/option_groups',
    max: 100,
    build: (n) =>
      select({
        option_groups: many(n, (g) => ({ label: plain(`g${g}`), options: [option('o', `v${g}`)] })),
      }),
  },
  {
    name: 'option group label',
    pointer: '/view/blocks/0/element/option_groups/0/label/text',
    max: 75,
    build: (n) => select({ option_groups: [{ label: plain(chars(n)), options: [option('o')] }] }),
  },
  {
    name: 'checkboxes options',
    pointer: '/view/blocks/0/element/options',
    max: 10,
    build: (n) => modal([input({ type: 'checkboxes', options: options(n) })]),
  },
  {
    name: 'radio_buttons options',
    pointer: '/view/blocks/0/element/options',
    max: 10,
    build: (n) => modal([input({ type: 'radio_buttons', options: options(n) })]),
  },
  {
    name: 'overflow options',
    pointer: '/view/blocks/0/elements/0/options',
    min: 2,
    max: 5,
    build: (n) => actions([{ type: 'overflow', action_id: 'o', options: options(n) }]),
  },
  {
    name: 'confirm title',
    pointer: '/view/blocks/0/accessory/confirm/title/text',
    max: 100,
    build: (n) =>
      modal([section({ accessory: button({ confirm: confirm({ title: plain(chars(n)) }) }) })]),
  },
  {
    name: 'confirm text',
    pointer: '/view/blocks/0/accessory/confirm/text/text',
    max: 300,
    build: (n) =>
      modal([section({ accessory: button({ confirm: confirm({ text: plain(chars(n)) }) }) })]),
  },
  {
    name: 'confirm button',
    pointer: '/view/blocks/0/accessory/confirm/confirm/text',
    max: 30,
    build: (n) =>
      modal([section({ accessory: button({ confirm: confirm({ confirm: plain(chars(n)) }) }) })]),
  },
  {
    name: 'deny button',
    pointer: '/view/blocks/0/accessory/confirm/deny/text',
    max: 30,
    build: (n) =>
      modal([section({ accessory: button({ confirm: confirm({ deny: plain(chars(n)) }) }) })]),
  },
];

describe('Block Kit limits on elements, options and confirm dialogs', () => {
  testBoundaries(limits);

  it('warns, without refusing, about option values between 76 and 150 characters', () => {
    const problems = validateView(
      select({ options: [option('t', chars(LIMITS.optionValueSafe + 1))] }),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        pointer: '/view/blocks/0/element/options/0/value',
        severity: 'warning',
      }),
    ]);
    expect(validateView(select({ options: [option('t', chars(75))] }))).toEqual([]);
  });
});
