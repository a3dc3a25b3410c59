import { errorsOnly, type Problem, toSlackMessages } from '../limits/findings.ts';
import type { Clock } from './clock.ts';
import type { Directory } from './directory.ts';
import type { IdFactory } from './ids.ts';
import type { MessageStore } from './message-store.ts';
import type { ResponseUrls } from './response-urls.ts';
import type { TriggerStore } from './triggers.ts';
import { type ApiReply, type Args, failure } from './types.ts';
import type { ViewStore } from './view-store.ts';

/** Who the stand-in says the bot is (auth.test, message authors, view owners). */
export interface PeerIdentity {
  teamId: string;
  teamDomain: string;
  enterpriseId: string | undefined;
  botUserId: string;
  botId: string;
  appId: string;
}

/** Everything the method handlers read and change. */
export interface PeerState {
  identity: PeerIdentity;
  clock: Clock;
  ids: IdFactory;
  directory: Directory;
  triggers: TriggerStore;
  views: ViewStore;
  messages: MessageStore;
  responseUrls: ResponseUrls;
}

export interface MethodContext {
  state: PeerState;
  /** Accepted-but-suspicious details, attached to the call record. */
  warnings: Problem[];
}

export type MethodHandler = (args: Args, ctx: MethodContext) => ApiReply;

/**
 * Keeps the warnings, and turns errors into the reply Slack gives: `invalid_arguments` for
 * views, `invalid_blocks` (with an `errors` list as well) for messages.
 */
export function refuseBrokenLimits(
  problems: Problem[],
  ctx: MethodContext,
  code: 'invalid_arguments' | 'invalid_blocks',
): ApiReply | undefined {
  const errors = errorsOnly(problems);
  ctx.warnings.push(...problems.filter((p) => p.severity === 'warning'));
  if (errors.length === 0) return undefined;
  const messages = toSlackMessages(errors);
  const response_metadata = { messages };
  if (code === 'invalid_arguments') return failure(code, { response_metadata });
  const plainErrors = errors.map((p) => `${p.message} [json-pointer:${p.pointer}]`);
  return failure(code, { errors: plainErrors, response_metadata });
}
