import type { IncomingMessage } from 'node:http';
import type { Args } from './types.ts';

/** Arguments @slack/web-api flattens to JSON strings in form bodies. */
const JSON_FIELDS = new Set(['view', 'blocks', 'attachments', 'metadata', 'unfurls']);

export type DecodedRequest =
  | { ok: true; args: Args; token: string | undefined }
  | { ok: false; error: string };

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Decodes a Web API request the way Slack accepts them: form-encoded (token allowed in the
 * body) or JSON (token only in the Authorization header), plus query-string arguments.
 */
export function decodeRequest(
  contentType: string | undefined,
  authorization: string | undefined,
  rawBody: string,
  query: URLSearchParams,
): DecodedRequest {
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const args: Args = Object.fromEntries(query);
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') {
    if (rawBody !== '') {
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        return { ok: false, error: 'invalid_json' };
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return { ok: false, error: 'invalid_json' };
      }
      Object.assign(args, body);
    }
    // JSON bodies cannot carry the token: Slack requires the header for them.
    delete args.token;
  } else if (type === 'application/x-www-form-urlencoded' || (type === '' && rawBody === '')) {
    Object.assign(args, Object.fromEntries(new URLSearchParams(rawBody)));
  } else if (type === '') {
    return { ok: false, error: 'missing_post_type' };
  } else {
    return { ok: false, error: 'invalid_post_type' };
  }
  const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
  delete args.token;
  decodeJsonFields(args);
  return { ok: true, args, token };
}

function decodeJsonFields(args: Args): void {
  for (const key of JSON_FIELDS) {
    const value = args[key];
    if (typeof value !== 'string') continue;
    try {
      args[key] = JSON.parse(value);
    } catch {
      // Left as a string: the method then reports the field as malformed.
    }
  }
}
