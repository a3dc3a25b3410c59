import { createHmac } from 'node:crypto';

/** How a request is signed; shared by every builder. */
export interface SigningOptions {
  signingSecret: string;
  /** Unix seconds for `X-Slack-Request-Timestamp`; default now. Older than 5 min = stale. */
  timestamp?: number;
  /** Sign with another secret (a forged request); `true` picks one for you. */
  wrongSecret?: boolean | string;
  /** Marks a redelivery, as Slack does with `X-Slack-Retry-Num` / `X-Slack-Retry-Reason`. */
  retry?: { num: number; reason: string };
  /** Extra or overriding headers, sent as given. */
  headers?: Record<string, string>;
}

/** What the bot's HTTP receiver answered. */
export interface SlackHttpResponse {
  status: number;
  headers: Record<string, string>;
  /** The raw body text ('' when empty). */
  text: string;
  /** Parsed JSON when the response says it is JSON, else the text; undefined when empty. */
  body: unknown;
}

/** A request exactly as Slack would POST it to the app's request URL. */
export interface SlackRequest {
  body: string;
  headers: Record<string, string>;
  send(url: string): Promise<SlackHttpResponse>;
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{rawBody}`. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  const hmac = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return `v0=${hmac}`;
}

export function signedForm(fields: Record<string, string>, signing: SigningOptions): SlackRequest {
  return signedRequest(new URLSearchParams(fields).toString(), FORM, signing);
}

export function signedJson(payload: unknown, signing: SigningOptions): SlackRequest {
  return signedRequest(JSON.stringify(payload), JSON_TYPE, signing);
}

export function signedRequest(
  body: string,
  contentType: string,
  signing: SigningOptions,
): SlackRequest {
  const timestamp = signing.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    Accept: 'application/json,*/*',
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': slackSignature(secretFor(signing), timestamp, body),
  };
  if (signing.retry) {
    headers['X-Slack-Retry-Num'] = String(signing.retry.num);
    headers['X-Slack-Retry-Reason'] = signing.retry.reason;
  }
  Object.assign(headers, signing.headers);
  return { body, headers, send: (url) => post(url, body, headers) };
}

function secretFor(signing: SigningOptions): string {
  if (signing.wrongSecret === undefined || signing.wrongSecret === false) {
    return signing.signingSecret;
  }
  return signing.wrongSecret === true ? `${signing.signingSecret}-not-it` : signing.wrongSecret;
}

/** POSTs a raw body and reads the whole answer; used by every builder's `send`. */
export async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<SlackHttpResponse> {
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  const responseHeaders = Object.fromEntries(response.headers.entries());
  const isJson = responseHeaders['content-type']?.includes('json') ?? false;
  return { status: response.status, headers: responseHeaders, text, body: parseBody(text, isJson) };
}

function parseBody(text: string, isJson: boolean): unknown {
  if (text === '') return undefined;
  if (!isJson) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
