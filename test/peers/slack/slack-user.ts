import type { StoredMessage } from './api/message-store.ts';
import type { SlackPeer } from './api/peer.ts';
import type { ViewResponseOutcome } from './api/view-responses.ts';
import { errorsOnly, toSlackMessages } from './limits/findings.ts';
import { validateOptionsAnswer } from './limits/validate.ts';
import { actionFor } from './requests/actions.ts';
import { slashCommand } from './requests/commands.ts';
import type { FillValue } from './requests/element-state.ts';
import { appHomeOpened, eventCallback } from './requests/events.ts';
import type { FillOptions, FillValues } from './requests/fill.ts';
import type { SlackActor } from './requests/identity.ts';
import {
  blockActions,
  blockSuggestion,
  type ViewLike,
  viewClosed,
  viewSubmission,
} from './requests/interactions.ts';
import type { SlackHttpResponse } from './requests/signing.ts';

export interface SlackUserOptions extends Partial<SlackActor> {
  peer: SlackPeer;
  /** The bot's request URL, e.g. `http://127.0.0.1:PORT/slack/events`. */
  requestUrl: string;
  signingSecret: string;
  userId: string;
  /** Where commands are typed. Default: the user's DM with the bot. */
  channelId?: string;
}

export interface SubmitResult {
  response: SlackHttpResponse;
  /** What the bot's answer did to the modal, as the stand-in applied it. */
  outcome: ViewResponseOutcome;
}

/**
 * A person using the bot: every action is a signed request to the bot, with trigger ids
 * issued by the stand-in and the bot's modal answers applied to the stand-in's views.
 */
export class SlackUser {
  private readonly peer: SlackPeer;
  private readonly actor: SlackActor;

  constructor(private readonly options: SlackUserOptions) {
    this.peer = options.peer;
    const { userId, userName, teamDomain, enterpriseId, enterpriseName, orgInstall } = options;
    this.actor = {
      userId,
      teamId: options.teamId ?? options.peer.identity.teamId,
      ...(userName ? { userName } : {}),
      ...(teamDomain ? { teamDomain } : {}),
      ...(enterpriseId ? { enterpriseId } : {}),
      ...(enterpriseName ? { enterpriseName } : {}),
      ...(orgInstall ? { orgInstall } : {}),
    };
  }

  command(text = '', command = '/okta-connect'): Promise<SlackHttpResponse> {
    return slashCommand({
      ...this.signing(),
      ...this.actor,
      command,
      text,
      channelId: this.options.channelId ?? this.peer.dmChannelFor(this.actor.userId),
      triggerId: this.peer.issueTriggerId({ userId: this.actor.userId }),
      responseUrl: this.peer.issueResponseUrl(),
    }).send(this.options.requestUrl);
  }

  /** The modal on top of this user's stack; throws when none is open. */
  currentView(): ViewLike {
    const view = this.peer.currentView(this.actor.userId);
    if (!view) throw new Error(`no modal is open for ${this.actor.userId}`);
    return view;
  }

  /** Fills in the current modal (or `view`) and presses Submit. */
  async submit(
    values: FillValues = {},
    options: { view?: ViewLike; fill?: FillOptions } = {},
  ): Promise<SubmitResult> {
    const view = options.view ?? this.currentView();
    const response = await viewSubmission({
      ...this.signing(),
      ...this.actor,
      view,
      values,
      ...(options.fill ? { fill: options.fill } : {}),
      triggerId: this.peer.issueTriggerId({ userId: this.actor.userId, viewId: view.id }),
    }).send(this.options.requestUrl);
    return { response, outcome: this.peer.applyViewResponse(view.id, response) };
  }

  /** Clicks a button (or picks `value`) in the current modal, with `values` typed so far. */
  click(
    blockId: string,
    actionId: string,
    options: { value?: FillValue; values?: FillValues } = {},
  ) {
    return this.clickIn(this.currentView(), blockId, actionId, options);
  }

  /**
   * Types `typed` into a menu with an external data source in the current modal: the
   * bot's answer, checked against Slack's limits (a breach throws, as Slack would show
   * the user nothing), with every option it offers, groups flattened.
   */
  async search(
    blockId: string,
    actionId: string,
    typed: string,
  ): Promise<{ response: SlackHttpResponse; offered: { text: string; value: string }[] }> {
    const response = await blockSuggestion({
      ...this.signing(),
      ...this.actor,
      view: this.currentView(),
      blockId,
      actionId,
      value: typed,
    }).send(this.options.requestUrl);
    if (response.status !== 200) return { response, offered: [] };
    const answer = JSON.parse(response.text) as {
      options?: { text: { text: string }; value: string }[];
      option_groups?: { options: { text: { text: string }; value: string }[] }[];
    };
    const problems = errorsOnly(validateOptionsAnswer(answer));
    if (problems.length > 0) {
      throw new Error(`Slack would refuse these options: ${toSlackMessages(problems).join('; ')}`);
    }
    const options = answer.options ?? answer.option_groups?.flatMap((group) => group.options) ?? [];
    return {
      response,
      offered: options.map((o) => ({ text: o.text.text, value: o.value })),
    };
  }

  clickInHome(blockId: string, actionId: string, value?: FillValue): Promise<SlackHttpResponse> {
    const home = this.peer.homeView(this.actor.userId);
    if (!home) throw new Error(`no Home tab is published for ${this.actor.userId}`);
    return this.clickIn(home, blockId, actionId, { value });
  }

  clickInMessage(message: StoredMessage, blockId: string, actionId: string, value?: FillValue) {
    return blockActions({
      ...this.signing(),
      ...this.actor,
      actions: [actionFor(message.blocks, blockId, actionId, value)],
      message: {
        channelId: message.channel,
        ts: message.ts,
        message: { type: 'message', ...message },
      },
      triggerId: this.peer.issueTriggerId({ userId: this.actor.userId }),
      responseUrl: this.peer.issueResponseUrl(),
    }).send(this.options.requestUrl);
  }

  /** Presses Cancel/×: Slack closes the view and tells the bot only if `notify_on_close`. */
  async dismiss(): Promise<SlackHttpResponse | undefined> {
    const view = this.currentView();
    this.peer.closeView(view.id);
    if (view.notify_on_close !== true) return undefined;
    return viewClosed({ ...this.signing(), ...this.actor, view }).send(this.options.requestUrl);
  }

  openHome(): Promise<SlackHttpResponse> {
    const home = this.peer.homeView(this.actor.userId);
    return eventCallback({
      ...this.signing(),
      teamId: this.actor.teamId,
      botUserId: this.peer.identity.botUserId,
      event: appHomeOpened({
        userId: this.actor.userId,
        channel: this.peer.dmChannelFor(this.actor.userId),
        ...(home ? { view: home } : {}),
      }),
    }).send(this.options.requestUrl);
  }

  private clickIn(
    view: ViewLike,
    blockId: string,
    actionId: string,
    options: { value?: FillValue | undefined; values?: FillValues },
  ): Promise<SlackHttpResponse> {
    return blockActions({
      ...this.signing(),
      ...this.actor,
      view,
      actions: [actionFor(view.blocks, blockId, actionId, options.value)],
      values: options.values ?? {},
      fill: { strict: false },
      triggerId: this.peer.issueTriggerId({ userId: this.actor.userId, viewId: view.id }),
    }).send(this.options.requestUrl);
  }

  private signing() {
    return { signingSecret: this.options.signingSecret };
  }
}
