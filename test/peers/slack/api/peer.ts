import { DEFAULT_APP_ID } from '../requests/identity.ts';
import { CallLog } from './call-log.ts';
import { CountWaiters } from './call-waiters.ts';
import { type Clock, systemClock } from './clock.ts';
import { Directory, type PeerChannel, type PeerUser } from './directory.ts';
import { createIds } from './ids.ts';
import { LenientTriggerStore } from './lenient-triggers.ts';
import { MessageStore, type StoredEphemeral, type StoredMessage } from './message-store.ts';
import { type ResponseUrlPost, ResponseUrls } from './response-urls.ts';
import { type RunningServer, serve } from './server.ts';
import type { PeerIdentity, PeerState } from './state.ts';
import { TriggerStore } from './triggers.ts';
import type { CallRecord } from './types.ts';
import type { ViewOutput } from './view-output.ts';
import {
  applyViewResponse,
  type ReceiverAnswer,
  type ViewResponseOutcome,
} from './view-responses.ts';
import { ViewStore } from './view-store.ts';
import { type RateLimitOptions, type SocketModeAccess, WebApi } from './web-api.ts';

export interface SlackPeerOptions {
  /** Bot tokens the stand-in accepts. Default `xoxb-test`. */
  botToken?: string | string[];
  /** Default `T0TEST`. */
  teamId?: string;
  teamDomain?: string;
  enterpriseId?: string;
  /** The bot's own user id, as auth.test reports it. Default `U0BOT`. */
  botUserId?: string;
  botId?: string;
  appId?: string;
  users?: PeerUser[];
  channels?: PeerChannel[];
  /** true (default) = keep every call; a number = keep the newest N; false = keep none. */
  recordCalls?: boolean | number;
  /** Default: the wall clock, advanceable. Pass `manualClock()` for exact timing tests. */
  clock?: Clock;
  /**
   * `strict` (default): Slack's rules, 3 s and single use. `lenient`, for benchmarks only:
   * any well-formed trigger id opens a view (see lenient-triggers.ts).
   */
  triggers?: 'strict' | 'lenient';
  /**
   * Answers `apps.connections.open` for this app-level token with `url()`, e.g. a
   * `startSocketModeStandIn()`'s (`test/peers/slack/socket/`). Without it the method
   * answers `invalid_auth`, as Slack does for an app without Socket Mode.
   */
  socketMode?: SocketModeAccess;
}

/** Where a modal or Home view stands, beyond its content. */
export interface ViewStatus {
  open: boolean;
  userId: string | undefined;
  /** The last `response_action: errors` shown on it. */
  errors: Record<string, string> | undefined;
}

/** A running Slack Web API stand-in. Create with `startSlackPeer`. */
export class SlackPeer {
  /** For `clientOptions.slackApiUrl`: `http://127.0.0.1:PORT/api/`. */
  readonly apiUrl: string;
  readonly clock: Clock;
  readonly identity: PeerIdentity;
  private readonly callWaiters = new CountWaiters<CallRecord | undefined>();
  private readonly postWaiters = new CountWaiters<ResponseUrlPost | undefined>();

  constructor(
    readonly origin: string,
    private readonly state: PeerState,
    private readonly api: WebApi,
    private readonly log: CallLog,
    private readonly server: RunningServer,
  ) {
    this.apiUrl = `${origin}/api/`;
    this.clock = state.clock;
    this.identity = state.identity;
    api.onCall = (call) => this.callWaiters.notify(call.method, log.count(call.method), call);
    state.responseUrls.onPost = (post, count) => this.postWaiters.notify('post', count, post);
  }

  /** A trigger id good for one views.open/push within 3 s of the stand-in clock. */
  issueTriggerId(context: { userId?: string; viewId?: string } = {}): string {
    return this.state.triggers.issue(context);
  }

  /** A response_url served here: what the bot `respond()`s shows up in `responseUrlPosts()`. */
  issueResponseUrl(): string {
    return `${this.origin}${this.state.responseUrls.issue()}`;
  }

  addUser(user: PeerUser): void {
    this.state.directory.addUser({ ...user });
  }

  addChannel(channel: PeerChannel): void {
    this.state.directory.addChannel({ ...channel });
  }

  /** Puts the bot in or out of a channel (out → `not_in_channel`). */
  setChannelMember(channelId: string, member: boolean): void {
    const channel = this.state.directory.channel(channelId);
    if (!channel) throw new Error(`no channel ${channelId} configured`);
    channel.member = member;
  }

  /** The bot's DM channel id with `userId` (what conversations.open returns). */
  dmChannelFor(userId: string): string {
    return this.state.directory.imFor(userId);
  }

  /** The next `times` calls of `method` get HTTP 429 with `Retry-After`. */
  rateLimit(method: string, options: RateLimitOptions = {}): void {
    this.api.rateLimit(method, options);
  }

  /** The next `times` calls of `method` answer `{ ok: false, error }`. */
  failNext(method: string, error: string, times = 1): void {
    this.api.failNext(method, error, times);
  }

  calls(method?: string): CallRecord[] {
    return this.log.list(method);
  }

  lastCall(method?: string): CallRecord | undefined {
    return this.log.list(method).at(-1);
  }

  /** Calls received, counted even when recording is off or capped. */
  callCount(method?: string): number {
    return this.log.count(method);
  }

  /**
   * Waits until `method` has been called `count` times in all — for calls the bot makes
   * after acking. Resolves with that call (undefined if recording is off).
   */
  waitForCalls(method: string, count = 1, timeoutMs = 5000): Promise<CallRecord | undefined> {
    const now = { count: this.log.count(method), latest: this.lastCall(method) };
    return this.callWaiters.waitFor(method, count, now, timeoutMs);
  }

  clearCalls(): void {
    this.log.clear();
  }

  view(id: string): ViewOutput | undefined {
    return this.state.views.get(id)?.view;
  }

  viewStatus(id: string): ViewStatus | undefined {
    const stored = this.state.views.get(id);
    return stored && { open: stored.open, userId: stored.userId, errors: stored.errors };
  }

  /** The modal most recently opened, pushed or updated (open or not). */
  lastView(): ViewOutput | undefined {
    const id = this.state.views.lastModalId;
    return id === undefined ? undefined : this.view(id);
  }

  /** The modal on top of the user's open stack (userless triggers share one stack). */
  currentView(userId?: string): ViewOutput | undefined {
    return this.viewStack(userId).at(-1);
  }

  viewStack(userId?: string): ViewOutput[] {
    return this.state.views.stackOf(userId).map((s) => s.view);
  }

  homeView(userId: string): ViewOutput | undefined {
    return this.state.views.home(userId)?.view;
  }

  /** Applies the bot's answer to a view_submission, as Slack's client would. */
  applyViewResponse(viewId: string, answer: ReceiverAnswer): ViewResponseOutcome {
    return applyViewResponse(this.state.views, viewId, answer);
  }

  /** The user dismissed the view (Cancel or ×). */
  closeView(viewId: string): void {
    this.state.views.close(viewId);
  }

  /** Messages in a channel, or in the bot's DM with a user when given a user id. */
  messagesTo(channelOrUser: string): StoredMessage[] {
    return this.state.messages.inChannel(this.channelOf(channelOrUser));
  }

  message(channelOrUser: string, ts: string): StoredMessage | undefined {
    return this.state.messages.get(this.channelOf(channelOrUser), ts);
  }

  ephemeralsTo(channelOrUser: string): StoredEphemeral[] {
    return this.state.messages.ephemeralsIn(this.channelOf(channelOrUser));
  }

  /** Waits until `count` posts in all reached the stand-in's response URLs. */
  waitForResponseUrlPosts(count = 1, timeoutMs = 5000): Promise<ResponseUrlPost | undefined> {
    const posts = this.state.responseUrls.posts;
    return this.postWaiters.waitFor(
      'post',
      count,
      { count: posts.length, latest: posts.at(-1) },
      timeoutMs,
    );
  }

  responseUrlPosts(url?: string): ResponseUrlPost[] {
    const posts = this.state.responseUrls.posts;
    return url === undefined ? [...posts] : posts.filter((p) => p.url === url);
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private channelOf(channelOrUser: string): string {
    const isUser = this.state.directory.user(channelOrUser) !== undefined;
    return isUser ? this.state.directory.imFor(channelOrUser) : channelOrUser;
  }
}

export async function startSlackPeer(options: SlackPeerOptions = {}): Promise<SlackPeer> {
  const clock = options.clock ?? systemClock();
  const ids = createIds(clock);
  const identity: PeerIdentity = {
    teamId: options.teamId ?? 'T0TEST',
    teamDomain: options.teamDomain ?? 'okta-connect-test',
    enterpriseId: options.enterpriseId,
    botUserId: options.botUserId ?? 'U0BOT',
    botId: options.botId ?? 'B0BOT',
    appId: options.appId ?? DEFAULT_APP_ID,
  };
  const directory = new Directory();
  for (const user of options.users ?? []) directory.addUser({ ...user });
  for (const channel of options.channels ?? []) directory.addChannel({ ...channel });
  const state: PeerState = {
    identity,
    clock,
    ids,
    directory,
    triggers:
      options.triggers === 'lenient'
        ? new LenientTriggerStore(clock, ids)
        : new TriggerStore(clock, ids),
    views: new ViewStore(identity, ids),
    messages: new MessageStore(),
    responseUrls: new ResponseUrls(clock, ids),
  };
  const recording = options.recordCalls ?? true;
  const log = new CallLog(recording === true ? Infinity : recording === false ? 0 : recording);
  const tokens = new Set([options.botToken ?? 'xoxb-test'].flat());
  const api = new WebApi(state, tokens, log, options.socketMode);
  const server = await serve(api, state.responseUrls);
  return new SlackPeer(server.origin, state, api, log, server);
}
