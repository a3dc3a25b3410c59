import { Agent, request } from 'undici';

type UndiciBody = NonNullable<Parameters<typeof request>[1]>['body'];

/** Statuses whose answer has no body: a `Response` refuses one for them. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * The `fetch` the Slack Web API client is given: undici's `request` on a kept-alive pool,
 * answered as a `Response`. Node's global `fetch` (undici's WHATWG layer: streams, abort
 * controllers, a Response per call) cost about as much CPU as the rest of opening a modal;
 * `request` is the same library's low-level call, at a third of the cost (see
 * docs/benchmarks.md). Redirects are not followed: the Web API never redirects, and the
 * client treats any status but 200 and 429 as an error, as it did with `redirect: 'error'`.
 */
export function createSlackFetch(): { fetch: typeof fetch; close(): Promise<void> } {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
  const slackFetch: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const answer = await request(url, {
      method: (init?.method ?? 'GET') as 'GET' | 'POST',
      headers: headerRecord(init?.headers),
      body: init?.body as UndiciBody,
      signal: init?.signal ?? undefined,
      dispatcher,
    });
    const bytes = Buffer.from(await answer.body.arrayBuffer());
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (Array.isArray(value)) for (const one of value) headers.append(name, one);
      else if (value !== undefined) headers.set(name, value);
    }
    return new Response(NULL_BODY.has(answer.statusCode) ? null : bytes, {
      status: answer.statusCode,
      headers,
    });
  };
  let closed: Promise<void> | null = null;
  // Stopping the bot twice closes the pool once.
  return { fetch: slackFetch, close: () => (closed ??= dispatcher.close()) };
}

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers.entries());
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  return headers as Record<string, string>;
}
