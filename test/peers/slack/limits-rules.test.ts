import { describe, expect, it } from 'vitest';
import { validateMessage, validateView } from './limits/validate.ts';
import { plain } from './test-support.ts';

const option = (value: string, text = value) => ({ text: plain(text), value });
const modal = (blocks: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'modal',
  title: plain('Connect Okta'),
  submit: plain('Next'),
  blocks,
  ...extra,
});
const input = (block_id: string, element: Record<string, unknown>) => ({
  type: 'input',
  block_id,
  label: plain('Label'),
  element: { action_id: 'a', ...element },
});
const errorPointers = (problems: ReturnType<typeof validateView>) =>
  problems.filter((p) => p.severity === 'error').map((p) => p.pointer);

describe('Block Kit rules beyond lengths and counts', () => {
  it('refuses a view type other than modal or home, and the wrong one for the method', () => {
    expect(errorPointers(validateView({ type: 'dialog', blocks: [] }))).toEqual(['/view/type']);
    expect(errorPointers(validateView({ type: 'home', blocks: [] }, { expect: 'modal' }))).toEqual([
      '/view/type',
    ]);
    expect(validateView({ type: 'home', blocks: [] }, { expect: 'home' })).toEqual([]);
  });

  it('requires a title on modals and a submit button when the modal has inputs', () => {
    const inputs = [input('nick', { type: 'plain_text_input' })];
    expect(errorPointers(validateView({ type: 'modal', blocks: [] }))).toEqual(['/view/title']);
    expect(errorPointers(validateView(modal(inputs, { submit: undefined })))).toEqual([
      '/view/submit',
    ]);
    expect(validateView(modal([{ type: 'divider' }], { submit: undefined }))).toEqual([]);
  });

  it('refuses repeated block_ids in a view and in a message', () => {
    const blocks = [
      { type: 'divider', block_id: 'same' },
      { type: 'divider', block_id: 'same' },
    ];
    expect(errorPointers(validateView(modal(blocks)))).toEqual(['/view/blocks/1/block_id']);
    expect(errorPointers(validateMessage({ blocks }))).toEqual(['/blocks/1/block_id']);
  });

  it('refuses repeated action_ids inside one actions block', () => {
    const button = { type: 'button', action_id: 'go', text: plain('Go') };
    const view = modal([{ type: 'actions', elements: [button, button] }]);
    expect(errorPointers(validateView(view))).toEqual(['/view/blocks/0/elements/1/action_id']);
  });

  it('refuses options and option_groups together', () => {
    const element = {
      type: 'static_select',
      options: [option('a')],
      option_groups: [{ label: plain('g'), options: [option('b')] }],
    };
    expect(errorPointers(validateView(modal([input('s', element)])))).toEqual([
      '/view/blocks/0/element',
    ]);
  });

  it('requires initial_option to be one of the options, wherever it is', () => {
    const grouped = {
      option_groups: [
        { label: plain('Users'), options: [option('okta.users.read', 'Read users')] },
      ],
    };
    const ok = input('s', {
      type: 'static_select',
      ...grouped,
      initial_option: option('okta.users.read', 'Read users'),
    });
    const wrongText = input('s', {
      type: 'static_select',
      ...grouped,
      initial_option: option('okta.users.read', 'Users'),
    });
    expect(validateView(modal([ok]))).toEqual([]);
    expect(errorPointers(validateView(modal([wrongText])))).toEqual([
      '/view/blocks/0/element/initial_option',
    ]);
  });

  it('requires every initial_options entry to be one of the options', () => {
    const options = [option('assigned'), option('scopes')];
    const boxes = input('c', {
      type: 'checkboxes',
      options,
      initial_options: [option('scopes'), option('admin')],
    });
    const multi = input('m', {
      type: 'multi_static_select',
      options,
      initial_options: [option('assigned')],
    });
    expect(errorPointers(validateView(modal([boxes, multi])))).toEqual([
      '/view/blocks/0/element/initial_options/1',
    ]);
  });

  it('requires section text or fields, and an element in inputs', () => {
    expect(errorPointers(validateView(modal([{ type: 'section', block_id: 's' }])))).toEqual([
      '/view/blocks/0',
    ]);
    expect(errorPointers(validateView(modal([{ type: 'input', label: plain('x') }])))).toEqual([
      '/view/blocks/0/element',
    ]);
  });

  it('walks into accessories, option groups and confirm dialogs', () => {
    const accessory = {
      type: 'overflow',
      action_id: 'more',
      options: [option('a'), option('b')],
      confirm: { title: plain('Sure?'), text: plain('Really'), confirm: plain('Yes') },
    };
    const view = modal([{ type: 'section', text: plain('x'), accessory }]);
    expect(errorPointers(validateView(view))).toEqual(['/view/blocks/0/accessory/confirm/deny']);
  });

  it('refuses header text that is not plain_text', () => {
    const view = modal([{ type: 'header', text: { type: 'mrkdwn', text: '*Hi*' } }]);
    expect(errorPointers(validateView(view))).toEqual(['/view/blocks/0/text/type']);
  });
});
