import type { CallLog } from './call-log.ts';
import { chatMethods } from './chat-api.ts';
import type { DecodedRequest } from './parse.ts';
import { peopleMethods } from './people-api.ts';
import type { MethodContext, MethodHandler, PeerState } from './state.ts';
import { type ApiReply, type CallRecord, failure, success } from './types.ts';
import { viewMethods } from './views-api.ts';

const METHODS: Record<string, MethodHandler> = { ...peopleMethods, ...viewMethods, ...chatMethods };

/** Methods that take the app-level token (`xapp-…`) instead of a bot token. */
const APP_METHODS: Record<string, (socketMode: SocketModeAccess) => ApiReply> = {
  'apps.connections.open': (socketMode) => success({ url: socketMode.url() }),
};

export const SUPPORTED_METHODS = [...Object.keys(METHODS), ...Object.keys(APP_METHODS)];

/** What `apps.connections.open` needs: the app-level token it accepts, the URL it hands out. */
export interface SocketModeAccess {
  appToken: string;
  /** A fresh `ws://` URL, e.g. `socketModeStandIn.url()`. */
  url: () => string;
}

export interface RateLimitOptions {
  /** The `Retry-After` header, in seconds. Default 1. */
  retryAfterSeconds?: number;
  /** How many calls get 429 before the method answers again. Default 1; Infinity = until cleared. */
  times?: number;
}

export interface ApiAnswer {
  status: number;
  headers: Record<string, string>;
  body: ApiReply;
}

interface Countdown<T> {
  value: T;
  remaining: number;
}

/** Authentication, rate limiting, injected failures and recording around the methods. */
export class WebApi {
  private readonly limits = new Map<string, Countdown<number>>();
  private readonly failures = new Map<string, Countdown<string>>();
  /** Told about every call after it is answered (the peer's waiters listen here). */
  onCall: ((call: CallRecord) => void) | undefined;

  constructor(
    private readonly state: PeerState,
    private readonly tokens: ReadonlySet<string>,
    private readonly log: CallLog,
    private readonly socketMode?: SocketModeAccess,
  ) {}

  rateLimit(method: string, options: RateLimitOptions = {}): void {
    const remaining = options.times ?? 1;
    if (remaining <= 0) this.limits.delete(method);
    else this.limits.set(method, { value: options.retryAfterSeconds ?? 1, remaining });
  }

  failNext(method: string, error: string, times = 1): void {
    this.failures.set(method, { value: error, remaining: times });
  }

  handle(method: string, request: DecodedRequest): ApiAnswer {
    const seq = this.log.nextSeq();
    const ctx: MethodContext = { state: this.state, warnings: [] };
    const args = request.ok ? request.args : {};
    const answer = this.answer(method, request, ctx);
    const call: CallRecord = {
      seq,
      method,
      args,
      at: this.state.clock.now(),
      status: answer.status,
      response: answer.body,
      warnings: ctx.warnings,
    };
    this.log.add(call);
    this.onCall?.(call);
    return answer;
  }

  private answer(method: string, request: DecodedRequest, ctx: MethodContext): ApiAnswer {
    const handler = METHODS[method];
    const appMethod = APP_METHODS[method];
    if (!handler && !appMethod) return plain(failure('unknown_method', { req_method: method }));
    if (!request.ok) return plain(failure(request.error));
    if (request.token === undefined) return plain(failure('not_authed'));
    if (appMethod) {
      if (this.tokens.has(request.token)) return plain(failure('not_allowed_token_type'));
      if (request.token !== this.socketMode?.appToken) return plain(failure('invalid_auth'));
    } else if (!this.tokens.has(request.token)) {
      return plain(failure('invalid_auth'));
    }
    const retryAfter = take(this.limits, method);
    if (retryAfter !== undefined) {
      return {
        status: 429,
        headers: { 'Retry-After': String(retryAfter) },
        body: failure('ratelimited'),
      };
    }
    const forced = take(this.failures, method);
    if (forced !== undefined) return plain(failure(forced));
    if (appMethod && this.socketMode) return plain(appMethod(this.socketMode));
    return plain(handler ? handler(request.args, ctx) : failure('unknown_method'));
  }
}

function plain(body: ApiReply): ApiAnswer {
  return { status: 200, headers: {}, body };
}

function take<T>(map: Map<string, Countdown<T>>, method: string): T | undefined {
  const entry = map.get(method);
  if (!entry) return undefined;
  entry.remaining -= 1;
  if (entry.remaining <= 0) map.delete(method);
  return entry.value;
}
