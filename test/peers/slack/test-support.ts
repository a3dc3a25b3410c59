import type { SlackPeer } from './api/peer.ts';

/** A string of exactly `n` characters, for boundary tests. */
export const chars = (n: number): string => 'x'.repeat(n);

export const plain = (text: string) => ({ type: 'plain_text' as const, text });

export interface RawCall {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/**
 * Calls the stand-in over raw HTTP, as @slack/web-api does: form-encoded by default (objects
 * become JSON strings), or JSON with `encoding: 'json'`.
 */
export async function callApi(
  slack: SlackPeer,
  method: string,
  args: Record<string, unknown> = {},
  options: { token?: string | null; encoding?: 'form' | 'json' } = {},
): Promise<RawCall> {
  const token = options.token === undefined ? 'xoxb-test' : options.token;
  const headers: Record<string, string> = {};
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  let body: string;
  if (options.encoding === 'json') {
    headers['Content-Type'] = 'application/json; charset=utf-8';
    body = JSON.stringify(args);
  } else {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const flat = Object.entries(args).map(([k, v]): [string, string] => [
      k,
      typeof v === 'string' ? v : JSON.stringify(v),
    ]);
    body = new URLSearchParams(flat).toString();
  }
  const res = await fetch(`${slack.apiUrl}${method}`, { method: 'POST', headers, body });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as Record<string, unknown>,
  };
}

/** A minimal valid modal with one text input. */
export function modal(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: 'connect',
    title: plain('Connect Okta'),
    submit: plain('Next'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: 'nickname',
        label: plain('Nickname'),
        element: { type: 'plain_text_input', action_id: 'value' },
      },
    ],
    ...overrides,
  };
}
