/** Facts about an error that a message or a retry needs; never a secret. */
export type ErrorDetails = Record<string, string | number | boolean | undefined>;

/**
 * The one error type that crosses layers. `code` is stable and maps to exactly one
 * admin-facing message in the views; `message` is for logs and must never contain a
 * secret. `retryable` says whether trying again later may succeed (network, 5xx, 429).
 */
export class BotError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details: ErrorDetails;

  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; retryable?: boolean; details?: ErrorDetails } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'BotError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
  }
}

export function isBotError(error: unknown, code?: string): error is BotError {
  return error instanceof BotError && (code === undefined || error.code === code);
}
