import type { ActionPayload } from './actions.ts';
import type { StateValues } from './element-state.ts';
import { type FillOptions, type FillValues, stateValuesFor } from './fill.ts';
import {
  type AppIdentity,
  interactionHeader,
  placeholderResponseUrl,
  type SlackActor,
  unknownTriggerId,
} from './identity.ts';
import { type SigningOptions, type SlackRequest, signedForm } from './signing.ts';

/** A view as Slack sends it back (the stand-in's recorded views have this shape). */
export type ViewLike = { id: string; blocks?: unknown } & Record<string, unknown>;

interface InteractionBase extends SigningOptions, SlackActor, AppIdentity {
  /** Use `slack.issueTriggerId()` when the bot may open or push a view in response. */
  triggerId?: string;
}

interface ViewState {
  /** What the user entered, keyed by input block_id (see `stateValuesFor`). */
  values?: FillValues;
  fill?: FillOptions;
  /** Exact `state.values` to send instead of computing them from `values`. */
  stateValues?: StateValues;
}

export interface MessageContainer {
  channelId: string;
  channelName?: string;
  ts: string;
  /** The message as Slack has it (e.g. `slack.message(channel, ts)`); default a stub. */
  message?: Record<string, unknown>;
  isEphemeral?: boolean;
}

export interface BlockActionsOptions extends InteractionBase, ViewState {
  /** Build entries with `actionFor(blocks, blockId, actionId, value)`. */
  actions: ActionPayload[];
  /** The modal or Home tab the click happened in… */
  view?: ViewLike;
  /** …or the message it happened in. */
  message?: MessageContainer;
  /** Only message clicks have one; default an unreachable hooks.slack.com URL. */
  responseUrl?: string;
}

export interface ViewSubmissionOptions extends InteractionBase, ViewState {
  view: ViewLike;
  responseUrls?: unknown[];
}

export interface ViewClosedOptions extends SigningOptions, SlackActor, AppIdentity {
  view: ViewLike;
  /** True when Slack closed the whole stack (`clear`). */
  isCleared?: boolean;
}

/** A click in a modal, Home tab or message, as Slack POSTs it (`payload=<json>`). */
export function blockActions(options: BlockActionsOptions): SlackRequest {
  const header = interactionHeader(options, options);
  const payload: Record<string, unknown> = { type: 'block_actions', ...header };
  payload.trigger_id = options.triggerId ?? unknownTriggerId();
  if (options.view) {
    payload.container = { type: 'view', view_id: options.view.id };
    payload.view = withState(options.view, options);
  } else if (options.message) {
    const m = options.message;
    payload.container = {
      type: 'message',
      message_ts: m.ts,
      channel_id: m.channelId,
      is_ephemeral: m.isEphemeral ?? false,
    };
    payload.channel = { id: m.channelId, name: m.channelName ?? m.channelId.toLowerCase() };
    payload.message = m.message ?? { type: 'message', ts: m.ts, text: '' };
    payload.state = { values: options.stateValues ?? {} };
    payload.response_url = options.responseUrl ?? placeholderResponseUrl(options.teamId);
  } else {
    throw new Error('block_actions needs the view or the message the click happened in');
  }
  payload.actions = options.actions;
  return interactionRequest(payload, options);
}

/** The user pressing Submit on `view` after entering `values`. */
export function viewSubmission(options: ViewSubmissionOptions): SlackRequest {
  return interactionRequest(
    {
      type: 'view_submission',
      ...interactionHeader(options, options),
      trigger_id: options.triggerId ?? unknownTriggerId(),
      view: withState(options.view, options),
      response_urls: options.responseUrls ?? [],
    },
    options,
  );
}

export interface BlockSuggestionOptions extends SigningOptions, SlackActor, AppIdentity {
  /** The modal or Home tab the menu is in. */
  view: ViewLike;
  blockId: string;
  actionId: string;
  /** What the user has typed in the menu so far ('' when it was just opened). */
  value: string;
}

/**
 * A menu with an external data source asking for its options: Slack sends this when the
 * menu opens (if `min_query_length` is 0) and as the user types. The answer is
 * `{ options }` or `{ option_groups }`; check it with `validateOptionsAnswer`.
 */
export function blockSuggestion(options: BlockSuggestionOptions): SlackRequest {
  return interactionRequest(
    {
      type: 'block_suggestion',
      ...interactionHeader(options, options),
      container: { type: 'view', view_id: options.view.id },
      view: { ...options.view, state: options.view.state ?? { values: {} } },
      block_id: options.blockId,
      action_id: options.actionId,
      value: options.value,
    },
    options,
  );
}

/** Slack sends this only for views opened with `notify_on_close: true`. */
export function viewClosed(options: ViewClosedOptions): SlackRequest {
  const view = { ...options.view, state: options.view.state ?? { values: {} } };
  return interactionRequest(
    {
      type: 'view_closed',
      ...interactionHeader(options, options),
      view,
      is_cleared: options.isCleared ?? false,
    },
    options,
  );
}

function withState(view: ViewLike, state: ViewState): ViewLike {
  const values = state.stateValues ?? stateValuesFor(view, state.values, state.fill);
  return { ...view, state: { values } };
}

function interactionRequest(
  payload: Record<string, unknown>,
  signing: SigningOptions,
): SlackRequest {
  return signedForm({ payload: JSON.stringify(payload) }, signing);
}
