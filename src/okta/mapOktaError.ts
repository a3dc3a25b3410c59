import * as client from 'openid-client';
import { BotError } from '../errors.ts';

/** OAuth error codes Okta uses that the bot explains one by one; anything else is `okta_error`. */
const KNOWN_OAUTH_ERRORS = new Set([
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'invalid_scope',
  'consent_required',
  'access_denied',
  'invalid_request',
  'login_required',
]);

/** Okta's `error_description` is plain text written for developers; keep it short in logs and messages. */
function description(text: unknown): string | undefined {
  return typeof text === 'string' ? text.slice(0, 300) : undefined;
}

/** A `BotError` for an HTTP status Okta answered with (429 and 5xx are retryable). */
export function fromStatus(response: Response, cause?: unknown): BotError {
  const status = response.status;
  if (status === 429) {
    const reset = Number(response.headers.get('x-rate-limit-reset'));
    return new BotError('okta_rate_limited', 'Okta answered 429 (rate limit)', {
      cause,
      retryable: true,
      details: { status, resetAt: Number.isFinite(reset) && reset > 0 ? reset * 1000 : undefined },
    });
  }
  if (status >= 500) {
    return new BotError('okta_unavailable', `Okta answered HTTP ${status}`, {
      cause,
      retryable: true,
      details: { status },
    });
  }
  return new BotError('okta_bad_response', `Okta answered HTTP ${status} with an unexpected body`, {
    cause,
    details: { status },
  });
}

/**
 * The single mapper from openid-client, fetch and Okta errors to `BotError`. Network
 * failures, timeouts, 5xx and 429 are `retryable`; OAuth errors keep Okta's code.
 */
export function mapOktaError(error: unknown): BotError {
  if (error instanceof BotError) return error;
  if (
    error instanceof client.AuthorizationResponseError ||
    error instanceof client.ResponseBodyError
  ) {
    const code = KNOWN_OAUTH_ERRORS.has(error.error) ? error.error : 'okta_error';
    const status = error instanceof client.ResponseBodyError ? error.status : undefined;
    if (
      error instanceof client.ResponseBodyError &&
      (error.status === 429 || error.status >= 500)
    ) {
      return fromStatus(error.response, error);
    }
    return new BotError(code, `Okta answered ${error.error}`, {
      cause: error,
      details: {
        oktaError: error.error,
        description: description(error.error_description),
        status,
      },
    });
  }
  if (error instanceof client.WWWAuthenticateChallengeError) {
    return new BotError('okta_challenge', 'Okta refused the access token', {
      cause: error,
      details: { status: error.status },
    });
  }
  if (error instanceof client.ClientError) {
    if (error.cause instanceof Response) return fromStatus(error.cause, error);
    // openid-client reports its own timeout as a ClientError: Okta did not answer, which
    // is worth another try, not a malformed answer.
    const cause = error.cause as { name?: string } | undefined;
    if (
      error.code === 'OAUTH_TIMEOUT' ||
      cause?.name === 'TimeoutError' ||
      cause?.name === 'AbortError'
    ) {
      return new BotError('okta_unreachable', 'Okta did not answer in time', {
        cause: error,
        retryable: true,
        details: { timeout: true },
      });
    }
    return new BotError(
      'okta_bad_response',
      `Okta's answer failed validation (${error.code ?? 'unknown'})`,
      {
        cause: error,
        details: { check: error.code },
      },
    );
  }
  if (
    error instanceof DOMException &&
    (error.name === 'TimeoutError' || error.name === 'AbortError')
  ) {
    return new BotError('okta_unreachable', 'Okta did not answer in time', {
      cause: error,
      retryable: true,
      details: { timeout: true },
    });
  }
  if (error instanceof TypeError && error.message === 'fetch failed') {
    const reason = (error.cause as { code?: string } | undefined)?.code ?? error.message;
    return new BotError('okta_unreachable', `Okta could not be reached (${reason})`, {
      cause: error,
      retryable: true,
    });
  }
  return new BotError('okta_error', 'Unexpected error while talking to Okta', { cause: error });
}
