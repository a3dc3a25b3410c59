import type { z } from 'zod';
import type { Problem } from '../limits/findings.ts';

/** A Web API call's arguments after decoding (JSON-string fields already parsed). */
export type Args = Record<string, unknown>;

/** The JSON body the stand-in answers with; Slack always has `ok`. */
export type ApiReply = { ok: boolean } & Record<string, unknown>;

/** One Web API call, as recorded for assertions. */
export interface CallRecord {
  /** Position among all calls since start (survives `recordCalls` caps). */
  seq: number;
  method: string;
  /** Decoded arguments, without the token. */
  args: Args;
  /** The stand-in clock's time of the call, ms. */
  at: number;
  /** 200, or 429 while rate limited. */
  status: number;
  response: ApiReply;
  /** Accepted-but-suspicious payload details (e.g. option values over 75 characters). */
  warnings: Problem[];
}

export function success(fields: Record<string, unknown> = {}): ApiReply {
  return { ok: true, ...fields };
}

export function failure(error: string, extra: Record<string, unknown> = {}): ApiReply {
  return { ok: false, error, ...extra };
}

export function invalidArguments(messages: string[]): ApiReply {
  return failure('invalid_arguments', { response_metadata: { messages } });
}

/** Either the parsed arguments or the `invalid_arguments` reply Slack would give. */
export type Parsed<T> = { ok: true; data: T } | { ok: false; reply: ApiReply };

export function parseArgs<T>(schema: z.ZodType<T>, args: Args): Parsed<T> {
  const result = schema.safeParse(args);
  if (result.success) return { ok: true, data: result.data };
  const messages = result.error.issues.map((issue) => {
    const pointer = issue.path.map(String).join('/');
    const missing = valueAt(args, issue.path) === undefined;
    const text = missing ? `missing required field: ${pointer}` : issue.message;
    return `[ERROR] ${text} [json-pointer:/${pointer}]`;
  });
  return { ok: false, reply: invalidArguments(messages) };
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
