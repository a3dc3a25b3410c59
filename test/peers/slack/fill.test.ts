import { describe, expect, it } from 'vitest';
import { actionFor } from './requests/actions.ts';
import { stateValuesFor } from './requests/fill.ts';
import { plain } from './test-support.ts';

const option = (value: string, text = value) => ({ text: plain(text), value });
const input = (
  block_id: string,
  element: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({
  type: 'input',
  block_id,
  label: plain(block_id),
  element: { action_id: 'a', ...element },
  ...extra,
});

describe('filling in a recorded view', () => {
  it.each([
    ['plain_text_input', {}, 'acme.okta.com', { value: 'acme.okta.com' }],
    [
      'static_select',
      { options: [option('home', 'Home org'), option('other')] },
      'home',
      { selected_option: option('home', 'Home org') },
    ],
    [
      'static_select',
      { option_groups: [{ label: plain('Users'), options: [option('okta.users.read')] }] },
      'okta.users.read',
      { selected_option: option('okta.users.read') },
    ],
    [
      'multi_static_select',
      { options: [option('a'), option('b'), option('c')] },
      ['a', 'c'],
      { selected_options: [option('a'), option('c')] },
    ],
    [
      'checkboxes',
      { options: [option('assigned'), option('super_admin')] },
      ['super_admin'],
      { selected_options: [option('super_admin')] },
    ],
    [
      'radio_buttons',
      { options: [option('default'), option('custom')] },
      'custom',
      { selected_option: option('custom') },
    ],
    ['conversations_select', {}, 'C9', { selected_conversation: 'C9' }],
    ['channels_select', {}, 'C9', { selected_channel: 'C9' }],
    ['users_select', {}, 'U9', { selected_user: 'U9' }],
  ])('reports a %s the way Slack does', (type, element, fill, expected) => {
    const view = { blocks: [input('field', { type, ...element })] };
    expect(stateValuesFor(view, { field: fill })).toEqual({ field: { a: { type, ...expected } } });
  });

  it('accepts values keyed by block_id then action_id', () => {
    const view = {
      blocks: [input('domain', { type: 'plain_text_input', action_id: 'domain_value' })],
    };
    expect(stateValuesFor(view, { domain: { domain_value: 'acme.okta.com' } })).toEqual({
      domain: { domain_value: { type: 'plain_text_input', value: 'acme.okta.com' } },
    });
  });

  it('reports initial values for inputs the user left alone, and empty values for optional ones', () => {
    const view = {
      blocks: [
        input('kind', {
          type: 'radio_buttons',
          options: [option('home'), option('other')],
          initial_option: option('home'),
        }),
        input('note', { type: 'plain_text_input' }, { optional: true }),
        input(
          'scopes',
          { type: 'multi_static_select', options: [option('x')] },
          { optional: true },
        ),
        input('where', { type: 'conversations_select' }, { optional: true }),
      ],
    };
    expect(stateValuesFor(view)).toEqual({
      kind: { a: { type: 'radio_buttons', selected_option: option('home') } },
      note: { a: { type: 'plain_text_input', value: null } },
      scopes: { a: { type: 'multi_static_select', selected_options: [] } },
      where: { a: { type: 'conversations_select', selected_conversation: null } },
    });
  });

  it('leaves out blocks that are not inputs', () => {
    const view = {
      blocks: [
        {
          type: 'section',
          block_id: 's',
          text: plain('Hi'),
          accessory: { type: 'button', action_id: 'b', text: plain('Go') },
        },
        input('nick', { type: 'plain_text_input' }),
      ],
    };
    expect(Object.keys(stateValuesFor(view, { nick: 'x' }))).toEqual(['nick']);
  });

  it('refuses what Slack’s client would not submit', () => {
    const view = {
      blocks: [
        input('nick', { type: 'plain_text_input', max_length: 5, min_length: 2 }),
        input('kind', { type: 'static_select', options: [option('home')] }, { optional: true }),
      ],
    };
    expect(() => stateValuesFor(view, {})).toThrow(/nick.*required/);
    expect(() => stateValuesFor(view, { nick: 'abcdef' })).toThrow(/max_length 5/);
    expect(() => stateValuesFor(view, { nick: 'a' })).toThrow(/min_length 2/);
    expect(() => stateValuesFor(view, { nick: 'ab', kind: 'other' })).toThrow(
      /no option with value "other"/,
    );
    expect(() => stateValuesFor(view, { nick: 'ab', missing: 'x' })).toThrow(
      /no input block missing/,
    );
    expect(stateValuesFor(view, {}, { strict: false }).nick?.a?.value).toBeNull();
  });

  it('builds the actions[] entry for a click or a pick', () => {
    const blocks = [
      {
        type: 'actions',
        block_id: 'row',
        elements: [
          {
            type: 'button',
            action_id: 'reauth',
            text: plain('Reauthorize'),
            value: 'conn-1',
            style: 'primary',
          },
          { type: 'overflow', action_id: 'more', options: [option('delete'), option('test')] },
        ],
      },
    ];
    expect(actionFor(blocks, 'row', 'reauth')).toMatchObject({
      type: 'button',
      value: 'conn-1',
      style: 'primary',
    });
    expect(actionFor(blocks, 'row', 'more', 'test')).toMatchObject({
      type: 'overflow',
      block_id: 'row',
      action_id: 'more',
      selected_option: option('test'),
    });
    expect(() => actionFor(blocks, 'row', 'nope')).toThrow(/no interactive element row\/nope/);
  });
});
