/**
 * Slack's side of okta-connect's tests: signed requests into the bot's request URL, and a
 * Web API stand-in the bot calls through `SLACK_API_URL`. The stand-in records every call
 * and refuses payloads that break Slack's documented limits the way Slack does
 * (`invalid_arguments` for views, `invalid_blocks` for messages). `validateView` and
 * `validateMessage` run the same checks without HTTP.
 *
 * @example Slash command → modal → submission built from the recorded modal.
 * ```ts
 * const slack = await startSlackPeer({
 *   users: [{ id: 'U1', isAdmin: true }],
 *   channels: [{ id: 'C1', name: 'okta-admins' }],
 * });
 * const app = new App({ token: 'xoxb-test', signingSecret, clientOptions: { slackApiUrl: slack.apiUrl } });
 * const server = await app.start({ port: 0, host: '127.0.0.1' });
 * const botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
 *
 * // Low level: build, sign and send each request yourself.
 * const res = await slashCommand({
 *   signingSecret, userId: 'U1', teamId: slack.identity.teamId, channelId: 'C1',
 *   triggerId: slack.issueTriggerId({ userId: 'U1' }), // valid 3 s, once
 * }).send(botUrl);
 * expect(res.status).toBe(200);
 * await slack.waitForCalls('views.open'); // Bolt acks first, then calls the Web API
 * await viewSubmission({
 *   signingSecret, userId: 'U1', teamId: slack.identity.teamId,
 *   view: slack.lastView()!,                        // the modal the bot opened
 *   values: { nickname: 'prod', org: 'home' },      // by input block_id
 * }).send(botUrl);
 *
 * // High level: a user whose trigger ids and response URLs come from the stand-in, and
 * // whose modal follows the bot's response_action (update / push / errors / clear).
 * const ada = new SlackUser({ peer: slack, requestUrl: botUrl, signingSecret, userId: 'U1', channelId: 'C1' });
 * await ada.command('new');
 * await slack.waitForCalls('views.open', 2);
 * const { outcome } = await ada.submit({ nickname: 'prod' });
 * expect(outcome).toMatchObject({ kind: 'updated', view: { callback_id: 'connect-step-2' } });
 * await slack.waitForCalls('chat.postMessage');
 * expect(slack.messagesTo('U1').at(-1)?.text).toMatch(/setup link/);
 *
 * await app.stop();
 * await slack.close();
 * ```
 *
 * Socket Mode: `startSocketModeStandIn()` is Slack's end of the WebSocket. Give its `url`
 * to `startSlackPeer({ socketMode: { appToken, url: () => socket.url() } })` so that
 * `apps.connections.open` hands it out; `socket.send(slashCommand({…}))` then delivers any
 * request above as an envelope and answers with the app's ack, as the HTTP receiver would.
 *
 * Timing: `slack.clock` follows the wall clock and can be advanced; a trigger id expires
 * 3 s after `issueTriggerId`, a response URL after 5 posts or 30 minutes. Pass
 * `clock: manualClock()` for a clock that moves only when advanced.
 *
 * Load: `recordCalls: false` (or a number: keep only the newest N) keeps memory flat;
 * `callCount(method)` still counts. Nothing on the request path scans the call log.
 * `triggers: 'lenient'` lets any well-formed trigger id open a view, however old or often
 * used, so a benchmark can sign its requests before a run and replay them (never in tests
 * of the bot's behaviour: it hides expired and reused triggers).
 */

export type { Clock } from './api/clock.ts';
export { manualClock, systemClock } from './api/clock.ts';
export type { PeerChannel, PeerUser } from './api/directory.ts';
export type { StoredEphemeral, StoredMessage } from './api/message-store.ts';
export { SlackPeer, type SlackPeerOptions, startSlackPeer, type ViewStatus } from './api/peer.ts';
export type { ResponseUrlPost } from './api/response-urls.ts';
export { TRIGGER_LIFETIME_MS } from './api/triggers.ts';
export type { ApiReply, CallRecord } from './api/types.ts';
export type { ViewOutput } from './api/view-output.ts';
export type { ReceiverAnswer, ViewResponseOutcome } from './api/view-responses.ts';
export { MAX_VIEW_STACK } from './api/view-store.ts';
export { type RateLimitOptions, type SocketModeAccess, SUPPORTED_METHODS } from './api/web-api.ts';
export { errorsOnly, type Problem, toSlackMessages } from './limits/findings.ts';
export { LIMITS } from './limits/rules.ts';
export {
  type ViewCheckOptions,
  validateMessage,
  validateOptionsAnswer,
  validateView,
} from './limits/validate.ts';
export { type ActionPayload, actionFor, findElement } from './requests/actions.ts';
export { type SlashCommandOptions, slashCommand } from './requests/commands.ts';
export type { FillValue, StateValue, StateValues } from './requests/element-state.ts';
export {
  appHomeOpened,
  type EventCallbackOptions,
  eventCallback,
  urlVerification,
} from './requests/events.ts';
export { type FillOptions, type FillValues, stateValuesFor } from './requests/fill.ts';
export type { AppIdentity, SlackActor } from './requests/identity.ts';
export {
  type BlockActionsOptions,
  type BlockSuggestionOptions,
  blockActions,
  blockSuggestion,
  type ViewLike,
  type ViewSubmissionOptions,
  viewClosed,
  viewSubmission,
} from './requests/interactions.ts';
export {
  type SigningOptions,
  type SlackHttpResponse,
  type SlackRequest,
  signedRequest,
  slackSignature,
} from './requests/signing.ts';
export { SlackUser, type SlackUserOptions, type SubmitResult } from './slack-user.ts';
export {
  type Envelope,
  type EnvelopeType,
  envelopeFor,
  type SocketAck,
} from './socket/envelopes.ts';
export {
  type SocketModeOptions,
  SocketModeStandIn,
  startSocketModeStandIn,
} from './socket/server.ts';
