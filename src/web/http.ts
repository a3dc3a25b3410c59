import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PageResponse } from './pages/page.ts';

/** Form bodies of the bot's pages are tiny; anything larger is refused with 413. */
const FORM_BODY_LIMIT_BYTES = 16 * 1024;

export class BodyTooLarge extends Error {}

/**
 * Reads a request body, refusing more than `limit` bytes: a declared Content-Length is
 * checked before reading, a chunked body while it arrives.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads an `application/x-www-form-urlencoded` body, refusing more than `limit` bytes. */
export async function readForm(
  req: IncomingMessage,
  limit = FORM_BODY_LIMIT_BYTES,
): Promise<URLSearchParams> {
  return new URLSearchParams((await readBody(req, limit)).toString('utf8'));
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index < 1) continue;
    const name = part.slice(0, index).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(index + 1).trim());
  }
  return cookies;
}

export interface CookieSpec {
  name: string;
  value: string;
  path: string;
  maxAgeSeconds: number;
  sameSite: 'Strict' | 'Lax';
  secure: boolean;
}

export function serializeCookie(cookie: CookieSpec): string {
  return [
    `${cookie.name}=${cookie.value}`,
    `Path=${cookie.path}`,
    `Max-Age=${cookie.maxAgeSeconds}`,
    'HttpOnly',
    `SameSite=${cookie.sameSite}`,
    ...(cookie.secure ? ['Secure'] : []),
  ].join('; ');
}

export function sendPage(
  res: ServerResponse,
  page: PageResponse,
  extraHeaders: Record<string, string | string[]> = {},
): void {
  res.writeHead(page.status, {
    ...page.headers,
    'Content-Length': Buffer.byteLength(page.html),
    ...extraHeaders,
  });
  res.end(page.html);
}

export function redirect(
  res: ServerResponse,
  location: string,
  headers: Record<string, string | string[]> = {},
): void {
  res.writeHead(303, {
    Location: location,
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    ...headers,
  });
  res.end();
}
