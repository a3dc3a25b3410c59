import type { BotError } from '../errors.ts';
import type { BadAnswer } from '../views/messages.ts';

/** openid-client's codes (from oauth4webapi) for an answer that is not JSON at all. */
const NOT_JSON = new Set(['OAUTH_RESPONSE_IS_NOT_JSON', 'OAUTH_PARSE_ERROR']);

/** The errors behind `error`, outermost first (openid-client nests two or three). */
function chainOf(error: BotError): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error.cause;
  while (current instanceof Error && chain.length < 6) {
    chain.push(current);
    current = current.cause;
  }
  if (current !== undefined) chain.push(current);
  return chain;
}

/**
 * Which check an `okta_bad_response` failed, so the admin reads what was wrong with
 * Okta's answer (a web page instead of JSON, an ID token for another issuer…) rather
 * than only that something was. Read from the openid-client error the BotError wraps;
 * anything not recognised stays the general `unreadable`.
 */
export function badAnswerOf(error: BotError): BadAnswer {
  const chain = chainOf(error);
  const field = (value: unknown, name: string) =>
    value !== null && typeof value === 'object'
      ? (value as Record<string, unknown>)[name]
      : undefined;
  if (chain.some((link) => NOT_JSON.has(String(field(link, 'code'))))) return 'not_json';
  const claim = chain
    .map((link) => field(link, 'claim'))
    .find((value) => typeof value === 'string');
  if (claim === 'iss') return 'id_token_issuer';
  if (claim === 'nonce') return 'id_token_nonce';
  if (claim !== undefined) return 'id_token_claims';
  // oauth4webapi reports a bad signature with the key, signed data and signature.
  if (chain.some((link) => field(link, 'signature') !== undefined)) return 'id_token_signature';
  const messages = chain.map((link) => (link instanceof Error ? link.message : ''));
  if ([error.message, ...messages].some((text) => text.includes('access_token'))) {
    return 'no_access_token';
  }
  if (messages.some((text) => /ID Token|JWT/i.test(text))) return 'id_token_claims';
  return 'unreadable';
}
