import { describe, expect, it } from 'vitest';
import { validateMessage, validateView } from './limits/validate.ts';
import {
  actions,
  button,
  home,
  input,
  type Limit,
  many,
  modal,
  section,
  testBoundaries,
} from './limits-fixtures.ts';
import { chars, plain } from './test-support.ts';

const limits: Limit[] = [
  {
    name: 'modal title',
    pointer: '/view/title/text',
    max: 24,
    build: (n) => modal([], { title: plain(chars(n)) }),
  },
  {
    name: 'modal submit',
    pointer: '/view/submit/text',
    max: 24,
    build: (n) => modal([], { submit: plain(chars(n)) }),
  },
  {
    name: 'modal close',
    pointer: '/view/close/text',
    max: 24,
    build: (n) => modal([], { close: plain(chars(n)) }),
  },
  {
    name: 'blocks in a modal',
    pointer: '/view/blocks',
    max: 100,
    build: (n) => modal(many(n, () => ({ type: 'divider' }))),
  },
  {
    name: 'blocks in a Home tab',
    pointer: '/view/blocks',
    max: 100,
    build: (n) => home(many(n, () => ({ type: 'divider' }))),
  },
  {
    name: 'blocks in a message',
    pointer: '/blocks',
    max: 50,
    build: (n) => ({ blocks: many(n, () => ({ type: 'divider' })) }),
    check: validateMessage,
  },
  {
    name: 'private_metadata',
    pointer: '/view/private_metadata',
    max: 3000,
    build: (n) => modal([], { private_metadata: chars(n) }),
  },
  {
    name: 'callback_id',
    pointer: '/view/callback_id',
    max: 255,
    build: (n) => modal([], { callback_id: chars(n) }),
  },
  {
    name: 'external_id',
    pointer: '/view/external_id',
    max: 255,
    build: (n) => modal([], { external_id: chars(n) }),
  },
  {
    name: 'block_id',
    pointer: '/view/blocks/0/block_id',
    max: 255,
    build: (n) => modal([{ type: 'divider', block_id: chars(n) }]),
  },
  {
    name: 'action_id',
    pointer: '/view/blocks/0/element/action_id',
    max: 255,
    build: (n) => modal([input({ type: 'plain_text_input', action_id: chars(n) })]),
  },
  {
    name: 'section text',
    pointer: '/view/blocks/0/text/text',
    min: 1,
    max: 3000,
    build: (n) => modal([section({ text: plain(chars(n)) })]),
  },
  {
    name: 'section fields',
    pointer: '/view/blocks/0/fields',
    max: 10,
    build: (n) => modal([section({ fields: many(n, () => plain('f')) })]),
  },
  {
    name: 'section field text',
    pointer: '/view/blocks/0/fields/0/text',
    max: 2000,
    build: (n) => modal([section({ fields: [plain(chars(n))] })]),
  },
  {
    name: 'header text',
    pointer: '/view/blocks/0/text/text',
    max: 150,
    build: (n) => modal([{ type: 'header', text: plain(chars(n)) }]),
  },
  {
    name: 'input label',
    pointer: '/view/blocks/0/label/text',
    max: 2000,
    build: (n) => modal([input({ type: 'plain_text_input' }, { label: plain(chars(n)) })]),
  },
  {
    name: 'input hint',
    pointer: '/view/blocks/0/hint/text',
    max: 2000,
    build: (n) => modal([input({ type: 'plain_text_input' }, { hint: plain(chars(n)) })]),
  },
  {
    name: 'plain_text_input max_length',
    pointer: '/view/blocks/0/element/max_length',
    min: 1,
    max: 3000,
    build: (n) => modal([input({ type: 'plain_text_input', max_length: n })]),
  },
  {
    name: 'plain_text_input placeholder',
    pointer: '/view/blocks/0/element/placeholder/text',
    max: 150,
    build: (n) => modal([input({ type: 'plain_text_input', placeholder: plain(chars(n)) })]),
  },
  {
    name: 'actions elements',
    pointer: '/view/blocks/0/elements',
    min: 1,
    max: 25,
    build: (n) => actions(many(n, (i) => button({ action_id: `b${i}` }))),
  },
  {
    name: 'context elements',
    pointer: '/view/blocks/0/elements',
    max: 10,
    build: (n) => modal([{ type: 'context', elements: many(n, () => plain('c')) }]),
  },
];

describe('Block Kit limits on views, messages and blocks', () => {
  testBoundaries(limits);

  it('words length problems the way Slack does', () => {
    const [problem] = validateView(modal([], { title: plain(chars(25)) }));
    expect(problem).toEqual({
      pointer: '/view/title/text',
      message: 'must be less than 25 characters',
      severity: 'error',
    });
  });
});
