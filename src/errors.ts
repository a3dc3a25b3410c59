/**
 * The one error type that crosses layers. `code` is stable and maps to exactly one
 * admin-facing message in `src/views/messages.ts`; `message` is for logs and must never
 * contain a secret.
 */
export class BotError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BotError';
    this.code = code;
  }
}
