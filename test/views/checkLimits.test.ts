import { describe, expect, it } from 'vitest';
import { checkLimits } from './checkLimits.ts';

const plain = (text: string) => ({ type: 'plain_text', text });
const option = (text: string, value = text) => ({ text: plain(text), value });

function modal(blocks: unknown[], extra: Record<string, unknown> = {}) {
  return { type: 'modal', title: plain('Title'), close: plain('Close'), blocks, ...extra };
}

/** The helper the other suites trust has to catch what it claims to catch. */
describe('checkLimits', () => {
  it('accepts a modal within the limits', () => {
    expect(checkLimits(modal([{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }]))).toEqual(
      [],
    );
  });

  it('catches a long title, long metadata and too many blocks', () => {
    const blocks = Array.from({ length: 101 }, () => ({ type: 'divider' }));
    const problems = checkLimits(
      modal(blocks, { title: plain('x'.repeat(25)), private_metadata: 'm'.repeat(3001) }),
    );
    expect(problems).toEqual([
      'title: 25 characters, limit 24',
      'blocks: 101 items, limit 100',
      'private_metadata: 3001 characters, limit 3000',
    ]);
  });

  it('catches more than 50 blocks in a message', () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(checkLimits({ text: 'x', blocks })).toEqual(['blocks: 51 items, limit 50']);
  });

  it('catches a repeated block_id and a repeated action_id', () => {
    const button = { type: 'button', action_id: 'a', text: plain('Go') };
    const problems = checkLimits({
      text: 'x',
      blocks: [
        { type: 'actions', block_id: 'b', elements: [button, button] },
        { type: 'divider', block_id: 'b' },
      ],
    });
    expect(problems).toEqual([
      'blocks[0].elements[1]: duplicate action_id a',
      'blocks[1].block_id: duplicate b',
    ]);
  });

  it('catches long option text and initial options that match no option', () => {
    const element = {
      type: 'multi_static_select',
      action_id: 'pick',
      option_groups: [{ label: plain('Group'), options: [option('x'.repeat(76), 'x')] }],
      initial_options: [option('other')],
    };
    const problems = checkLimits(
      modal([{ type: 'input', label: plain('Pick'), element }], { submit: plain('Save') }),
    );
    expect(problems).toEqual([
      'blocks[0].element.option_groups[0].options[0].text: 76 characters, limit 75',
      'blocks[0].element.initial[0]: does not match any option exactly',
    ]);
  });

  it('catches a modal with inputs and no submit button, and long section text', () => {
    const input = {
      type: 'input',
      label: plain('Name'),
      element: { type: 'plain_text_input', action_id: 'n' },
    };
    const section = { type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } };
    expect(checkLimits(modal([input, section]))).toEqual([
      'submit: a modal with inputs needs a submit button',
      'blocks[1].text: 3001 characters, limit 3000',
    ]);
  });
});
