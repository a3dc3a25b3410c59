import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** Headers every page and JSON answer of the bot carries. */
const BASE_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** The base headers; `extraHeaders` add to them (`Retry-After`, `WWW-Authenticate`, …). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  extraHeaders: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...extraHeaders,
    ...BASE_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Passes a body through as it arrives (the connection API's Okta proxy) with the same
 * base headers; resolves when it is sent, rejects when either side breaks off.
 */
export async function sendStream(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: ReadableStream<Uint8Array> | null,
): Promise<void> {
  res.writeHead(status, { ...headers, ...BASE_HEADERS });
  if (!body) {
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), res);
}
