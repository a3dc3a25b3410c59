import type { types } from '@slack/bolt';
import type { ClientAuthMethod } from '../clientCredential.ts';
import type { OrgKind } from '../db/connectionModel.ts';
import { context, type KnownBlock, type ModalView, modal, notesContext, plain } from './blocks.ts';
import { CALLBACK, CLIENT_AUTH, INPUT } from './ids.ts';
import { code, truncate } from './mrkdwn.ts';
import type { HomeOrg } from './orgStep.ts';

/** What the admin typed before, so going back and forth loses nothing. */
export interface DetailsInitial {
  nickname?: string;
  domain?: string;
  clientId?: string;
  channelId?: string;
  clientAuth?: ClientAuthMethod;
}

export const MAX = { nickname: 40, domain: 300, clientId: 100 } as const;

/**
 * Step 2 of the create wizard: nickname, domain (typed only for another org; the home
 * org's is fixed), client ID, how the bot authenticates as the app, and the channel for
 * alerts.
 */
export function detailsStepView(input: {
  orgKind: OrgKind;
  home: HomeOrg | null;
  initial: DetailsInitial;
  notes?: readonly string[];
  metadata: string;
}): ModalView {
  const { initial } = input;
  const home = input.orgKind === 'home' ? input.home : null;
  const blocks: KnownBlock[] = [];
  if (input.notes && input.notes.length > 0) blocks.push(notesContext(input.notes));
  blocks.push(
    textInput({
      id: INPUT.nickname,
      label: 'Connection nickname',
      maxLength: MAX.nickname,
      placeholder: 'e.g. acme-prod',
      hint: 'Unique in this workspace; letters, digits, spaces, - _ .',
      initial: initial.nickname,
    }),
  );
  if (home) {
    blocks.push(context(`Okta org: ${code(home.domain)} (the home org)`));
  } else {
    blocks.push(
      textInput({
        id: INPUT.domain,
        label: 'Okta domain',
        maxLength: MAX.domain,
        placeholder: 'acme.okta.com',
        hint: 'Without https:// and without -admin',
        initial: initial.domain,
      }),
    );
  }
  blocks.push(
    textInput({
      id: INPUT.clientId,
      label: 'Client ID',
      maxLength: MAX.clientId,
      placeholder: '0oa…',
      hint: 'From the OAuth app’s General tab in Okta (Client Credentials)',
      initial: initial.clientId ?? home?.clientId ?? undefined,
    }),
    clientAuthChoice(initial.clientAuth ?? CLIENT_AUTH.secret),
    {
      type: 'input',
      block_id: INPUT.notifyChannel,
      label: plain('Channel for alerts'),
      hint: plain('Where the bot says when this connection needs reauthorization'),
      element: {
        type: 'conversations_select',
        action_id: INPUT.notifyChannel,
        // Slack prefers initial_conversation over the current conversation when both are set.
        ...(initial.channelId ? { initial_conversation: initial.channelId } : {}),
        default_to_current_conversation: true,
        filter: { include: ['public', 'private'], exclude_bot_users: true },
      },
    },
  );
  return modal({
    callbackId: CALLBACK.connectDetails,
    title: 'Connection details',
    submit: 'Next',
    close: 'Cancel',
    metadata: input.metadata,
    blocks,
  });
}

const option = (text: string, value: string, description: string) => ({
  text: plain(text),
  value,
  description: plain(description),
});

/**
 * Okta's own two choices, in its words (app → General → Client Credentials → Client
 * authentication). A secret stays the preselected one: it is what an Okta app has until
 * an admin changes it, and the home org's app was set up with one.
 */
function clientAuthChoice(chosen: ClientAuthMethod): types.InputBlock {
  const keyPair = option(
    'Public key / Private key (recommended)',
    CLIENT_AUTH.keyPair,
    'The bot makes a key pair; you add its public key to the app',
  );
  const secret = option(
    'Client secret',
    CLIENT_AUTH.secret,
    'You type the app’s secret on the bot’s setup page',
  );
  return {
    type: 'input',
    block_id: INPUT.clientAuth,
    label: plain('Client authentication'),
    hint: plain(
      'Okta recommends a key pair: no secret is typed, stored or sent, the private key never leaves the bot, and each proof it signs works once, for a minute. Choose what the app’s Client Credentials say in Okta, or switch the app to it.',
    ),
    element: {
      type: 'radio_buttons',
      action_id: INPUT.clientAuth,
      options: [keyPair, secret],
      initial_option: chosen === CLIENT_AUTH.keyPair ? keyPair : secret,
    },
  };
}

/** A plain-text input whose block_id and action_id are `id`, with a hint and a kept value. */
export function textInput(spec: {
  id: string;
  label: string;
  maxLength: number;
  placeholder: string;
  hint: string;
  initial: string | undefined;
}): types.InputBlock {
  return {
    type: 'input',
    block_id: spec.id,
    label: plain(spec.label),
    hint: plain(spec.hint),
    element: {
      type: 'plain_text_input',
      action_id: spec.id,
      max_length: spec.maxLength,
      placeholder: plain(spec.placeholder, 150),
      ...(spec.initial ? { initial_value: truncate(spec.initial, spec.maxLength) } : {}),
    },
  };
}
