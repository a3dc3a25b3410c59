import { describe, expect, it } from 'vitest';
import { detailsStepView } from '../../src/views/detailsStep.ts';
import { blockById, checkLimits, mrkdwnTexts } from './checkLimits.ts';
import { expectNothingRaw, HOSTILE } from './fixtures.ts';

const HOME = { domain: 'acme.okta.com', clientId: '0oaHOME' };

type Input = Parameters<typeof detailsStepView>[0];

function view(overrides: Partial<Input> = {}) {
  return detailsStepView({
    orgKind: 'other',
    home: HOME,
    initial: {},
    metadata: 'm',
    ...overrides,
  });
}

function element(v: ReturnType<typeof view>, id: string) {
  return blockById(v, id).element as Record<string, unknown>;
}

describe('detailsStepView', () => {
  it('offers a key pair (recommended, and why) or a client secret, the secret preselected', () => {
    const choice = element(view(), 'client_auth') as {
      options: { value: string; text: { text: string } }[];
      initial_option: { value: string };
    };
    expect(choice.options.map((o) => [o.value, o.text.text])).toEqual([
      ['private_key_jwt', 'Public key / Private key (recommended)'],
      ['client_secret_basic', 'Client secret'],
    ]);
    expect(choice.initial_option.value).toBe('client_secret_basic');
    expect(JSON.stringify(blockById(view(), 'client_auth').hint)).toMatch(
      /Okta recommends a key pair: no secret/,
    );
    const again = element(view({ initial: { clientAuth: 'private_key_jwt' } }), 'client_auth');
    expect(again).toMatchObject({ initial_option: { value: 'private_key_jwt' } });
  });

  it('is the connect_details modal with Next', () => {
    const v = view();
    expect(v.callback_id).toBe('connect_details');
    expect(v.title.text).toBe('Connection details');
    expect(v.submit?.text).toBe('Next');
    expect(v.private_metadata).toBe('m');
    expect(checkLimits(v)).toEqual([]);
  });

  it('asks another org for nickname, domain, client ID, client authentication and alert channel', () => {
    const v = view();
    expect(v.blocks.map((b) => b.block_id).filter(Boolean)).toEqual([
      'nickname',
      'domain',
      'client_id',
      'client_auth',
      'notify_channel',
    ]);
    expect(element(v, 'nickname')).toMatchObject({
      type: 'plain_text_input',
      action_id: 'nickname',
      max_length: 40,
      placeholder: { text: 'e.g. acme-prod' },
    });
    expect(blockById(v, 'nickname').hint).toMatchObject({
      text: 'Unique in this workspace; letters, digits, spaces, - _ .',
    });
    expect(element(v, 'domain')).toMatchObject({
      action_id: 'domain',
      max_length: 300,
      placeholder: { text: 'acme.okta.com' },
    });
    expect(blockById(v, 'domain').hint).toMatchObject({
      text: 'Without https:// and without -admin',
    });
    expect(element(v, 'client_id')).toMatchObject({ action_id: 'client_id', max_length: 100 });
  });

  it('shows the home org domain instead of asking for it, and prefills its client ID', () => {
    const v = view({ orgKind: 'home' });
    expect(v.blocks.some((b) => b.block_id === 'domain')).toBe(false);
    expect(mrkdwnTexts(v).join('\n')).toContain('`acme.okta.com`');
    expect(element(v, 'client_id').initial_value).toBe('0oaHOME');
    expect(checkLimits(v)).toEqual([]);
  });

  it('keeps what was typed, so going back loses nothing', () => {
    const v = view({
      initial: {
        nickname: 'acme-prod',
        domain: 'acme.oktapreview.com',
        clientId: '0oaTYPED',
        channelId: 'C0ALERTS',
      },
    });
    expect(element(v, 'nickname').initial_value).toBe('acme-prod');
    expect(element(v, 'domain').initial_value).toBe('acme.oktapreview.com');
    expect(element(v, 'client_id').initial_value).toBe('0oaTYPED');
    expect(element(v, 'notify_channel').initial_conversation).toBe('C0ALERTS');
  });

  it('prefers the typed client ID to the home org one', () => {
    const v = view({ orgKind: 'home', initial: { clientId: '0oaTYPED' } });
    expect(element(v, 'client_id').initial_value).toBe('0oaTYPED');
  });

  it('asks for a channel, defaulting to the current one', () => {
    const v = view();
    const block = blockById(v, 'notify_channel');
    expect(block.label).toMatchObject({ text: 'Channel for alerts' });
    expect(block.hint).toMatchObject({
      text: 'Where the bot says when this connection needs reauthorization',
    });
    expect(block.element).toEqual({
      type: 'conversations_select',
      action_id: 'notify_channel',
      default_to_current_conversation: true,
      filter: { include: ['public', 'private'], exclude_bot_users: true },
    });
  });

  it('shows notes first, escaped', () => {
    const v = view({ notes: ['Using acme.okta.com: removed https://', '<!channel> hi'] });
    expect(v.blocks[0]?.type).toBe('context');
    expect(mrkdwnTexts(v.blocks[0])).toEqual([
      'Using acme.okta.com: removed https://\n&lt;!channel&gt; hi',
    ]);
  });

  it.each(HOSTILE)('keeps the hostile value %j as an inert initial value', (value) => {
    const v = view({
      initial: { nickname: value, domain: value, clientId: value },
      notes: [value],
    });
    expect(checkLimits(v)).toEqual([]);
    expectNothingRaw({ ...v, blocks: v.blocks.filter((b) => b.type !== 'input') });
  });

  it('cuts initial values that would not fit their inputs', () => {
    const v = view({ initial: { nickname: 'n'.repeat(60), domain: 'd'.repeat(400) } });
    expect(checkLimits(v)).toEqual([]);
  });
});
