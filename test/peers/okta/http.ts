/** Small helpers for answering the way Okta does: OAuth JSON errors, Okta E0000… errors, pages. */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One request in flight, as route handlers see it. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
}

const MAX_BODY_BYTES = 64 * 1024;
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** An id shaped like Okta's: a 3-character type prefix (`00u` user, `0oa` app…) and 17 more. */
export function oktaId(prefix: string, length = 20): string {
  const bytes = randomBytes(length - prefix.length);
  let id = prefix;
  for (const byte of bytes) id += BASE62[byte % BASE62.length];
  return id;
}

/** Reads an `application/x-www-form-urlencoded` body; any other body reads as empty. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large for the Okta peer');
    chunks.push(buffer);
  }
  const type = req.headers['content-type']?.split(';')[0]?.trim();
  if (type !== 'application/x-www-form-urlencoded') return new URLSearchParams();
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** Token responses and OAuth errors must never be cached (RFC 6749 §5.1). */
export function sendTokenJson(res: ServerResponse, body: unknown): void {
  sendJson(res, 200, body, NO_STORE);
}

export function sendOAuthError(
  res: ServerResponse,
  status: number,
  error: string,
  description: string,
): void {
  sendJson(res, status, { error, error_description: description }, NO_STORE);
}

/** Okta's Management API error body (`E0000006`, `E0000047`…). */
export function sendOktaError(
  res: ServerResponse,
  status: number,
  code: string,
  summary: string,
  headers: Record<string, string> = {},
): void {
  sendJson(
    res,
    status,
    {
      errorCode: code,
      errorSummary: summary,
      errorLink: code,
      errorId: oktaId('oae', 25),
      errorCauses: [],
    },
    headers,
  );
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
  });
  res.end(html);
}

export function sendEmpty(
  res: ServerResponse,
  status: number,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { ...headers, 'content-length': 0 });
  res.end();
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'content-length': 0, 'cache-control': 'no-store' });
  res.end();
}

/** Apostrophes are left alone so Okta's texts (`'client_id'`) stay greppable in the page. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
