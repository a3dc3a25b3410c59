import type { types } from '@slack/bolt';
import { clipMrkdwn, escapeValue, inline, truncate } from './mrkdwn.ts';

export type KnownBlock = types.KnownBlock;
export type ModalView = types.ModalView;
export type PlainTextOption = types.PlainTextOption;

/**
 * A message for `chat.postMessage`, `chat.postEphemeral` or `respond`. `text` is the
 * notification and fallback; Slack parses it as mrkdwn too, so it is escaped like blocks.
 */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Slack's Block Kit limits (shared/docs/research/slack-bolt-facts.md §3). */
export const LIMITS = {
  modalTitle: 24,
  modalButton: 24,
  blocksPerModal: 100,
  blocksPerMessage: 50,
  privateMetadata: 3000,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  optionText: 75,
  optionDescription: 75,
} as const;

/** Plain text on one line, shortened to `max`; never empty, which Slack refuses. */
export function plain(text: string, max: number = LIMITS.sectionText): types.PlainTextElement {
  return { type: 'plain_text', text: truncate(inline(text), max) || ' ', emoji: true };
}

export function header(text: string): types.HeaderBlock {
  return { type: 'header', text: plain(text, LIMITS.headerText) };
}

/** A section of finished mrkdwn: every user value in it must already be escaped. */
export function section(mrkdwn: string): types.SectionBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwn, LIMITS.sectionText) },
  };
}

/** Small grey text; `mrkdwn` is finished mrkdwn like in `section`. */
export function context(mrkdwn: string): types.ContextBlock {
  return {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: clipMrkdwn(mrkdwn, LIMITS.sectionText) }],
  };
}

/** Notes such as "Using acme.okta.com: removed https://", shown above a step's inputs. */
export function notesContext(notes: readonly string[]): types.ContextBlock {
  return context(notes.map((note) => escapeValue(note, 300)).join('\n'));
}

export function divider(): types.DividerBlock {
  return { type: 'divider' };
}

export function option(text: string, value: string, description?: string): PlainTextOption {
  return {
    text: plain(text, LIMITS.optionText),
    value,
    ...(description === undefined
      ? {}
      : { description: plain(description, LIMITS.optionDescription) }),
  };
}

interface ButtonSpec {
  text: string;
  actionId: string;
  value?: string;
  url?: string;
  style?: 'primary' | 'danger';
}

/** Throws when the value or URL is too long: those cannot be shortened without breaking them. */
export function button(spec: ButtonSpec): types.Button {
  if (spec.url !== undefined && spec.url.length > LIMITS.url) {
    throw new Error(`button URL longer than ${LIMITS.url} characters`);
  }
  if (spec.value !== undefined && spec.value.length > LIMITS.buttonValue) {
    throw new Error(`button value longer than ${LIMITS.buttonValue} characters`);
  }
  return {
    type: 'button',
    action_id: spec.actionId,
    text: plain(spec.text, LIMITS.buttonText),
    ...(spec.value === undefined ? {} : { value: spec.value }),
    ...(spec.url === undefined ? {} : { url: spec.url }),
    ...(spec.style === undefined ? {} : { style: spec.style }),
  };
}

export function actions(elements: types.Button[], blockId?: string): types.ActionsBlock {
  return { type: 'actions', ...(blockId === undefined ? {} : { block_id: blockId }), elements };
}

export interface ModalSpec {
  callbackId: string;
  title: string;
  close: string;
  submit?: string;
  metadata?: string;
  blocks: KnownBlock[];
}

/**
 * A modal within Slack's limits. Metadata is the handler's state, which cannot be
 * shortened without corrupting it, so too much of it (or too many blocks) is a bug: throw.
 */
export function modal(spec: ModalSpec): ModalView {
  if (spec.metadata !== undefined) assertMetadataFits(spec.metadata);
  assertBlockCount(spec.blocks, LIMITS.blocksPerModal);
  return {
    type: 'modal',
    callback_id: spec.callbackId,
    title: plain(spec.title, LIMITS.modalTitle),
    close: plain(spec.close, LIMITS.modalButton),
    ...(spec.submit === undefined ? {} : { submit: plain(spec.submit, LIMITS.modalButton) }),
    ...(spec.metadata === undefined ? {} : { private_metadata: spec.metadata }),
    blocks: spec.blocks,
  };
}

/**
 * A modal whose every part but its `private_metadata` is fixed, serialised once: each call
 * adds the metadata to that text instead of building and serialising the blocks again.
 * Gives the JSON text that `views.open` and `views.update` take as `view` (the Web API
 * client sends a string as it is). `spec.metadata` is ignored.
 */
export function modalTemplate(spec: ModalSpec): (metadata: string) => string {
  const { metadata: _ignored, ...fixed } = spec;
  // Without metadata the text ends with the object's closing brace; the field goes before it.
  const head = JSON.stringify(modal(fixed)).slice(0, -1);
  return (metadata) => {
    assertMetadataFits(metadata);
    return `${head},"private_metadata":${JSON.stringify(metadata)}}`;
  };
}

/** A message within Slack's limits; `text` is finished mrkdwn. */
export function message(text: string, blocks: KnownBlock[]): SlackMessage {
  assertBlockCount(blocks, LIMITS.blocksPerMessage);
  return { text: clipMrkdwn(text, LIMITS.sectionText), blocks };
}

/** A Home tab of `blocks`, within Slack's block limit (the same as a modal's). */
export function homeTab(blocks: KnownBlock[]): types.HomeView {
  assertBlockCount(blocks, LIMITS.blocksPerModal);
  return { type: 'home', blocks };
}

/** Metadata is the handler's state: too much of it is a bug, not something to shorten. */
function assertMetadataFits(metadata: string): void {
  if (metadata.length > LIMITS.privateMetadata) {
    throw new Error(
      `private_metadata is ${metadata.length} characters; Slack allows ${LIMITS.privateMetadata}`,
    );
  }
}

function assertBlockCount(blocks: readonly KnownBlock[], max: number): void {
  if (blocks.length > max) throw new Error(`${blocks.length} blocks; Slack allows ${max}`);
}
