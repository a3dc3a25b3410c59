/**
 * What the security suites share: hostile strings for fast-check, the checks that a
 * Slack answer or page is safe, and a recorder of every `fetch` made in this process
 * (the bot runs in-process, and openid-client calls Okta through the global `fetch`).
 */
import { request } from 'node:http';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Connection } from '../../src/db/connectionsRepo.ts';
import {
  ADMIN,
  CLIENT_ID,
  type Harness,
  type HarnessOptions,
  ORG,
  startHarness,
} from '../e2e/harness.ts';
import { errorsOnly, validateMessage, validateView } from '../peers/slack/index.ts';

/** Pieces attackers and accidents put into text boxes. */
const HOSTILE_PIECES = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U123ABC>',
  '<#C123|general>',
  '<!subteam^S123|@admins>',
  '<https://evil.example|click here>',
  '<http://127.0.0.1/>',
  '<mailto:a@evil.example|mail>',
  '<!date^1700000000^{date}|x>',
  '*bold* _italic_ ~strike~ `code` ```block```',
  '> quoted\n• listed',
  '&lt;!channel&gt;',
  '&amp;&',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE connections; --",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: template syntax as typed input
  '{{7*7}} ${7*7}',
  '\u0000\u0007\u001b[31m\u007f\u0085',
  '\r\n\t\v\f',
  '\u202Egnp.exe\u202C',
  '\u2066isolate\u2069\u200B\u200D\uFEFF',
  'аcme-prоd', // Cyrillic а and о
  'ａｃｍｅ', // fullwidth
  '\u212A\u017F', // Kelvin sign, long s: lower-case to ASCII
  'é', // e + combining acute
  '👩‍👩‍👧‍👦🏳️‍🌈',
  '\uD800', // a lone surrogate
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln', // shaped like a JWT
  'v1.0123456789abcdef.', // shaped like a sealed value
  'acme.okta.com',
  'acme-prod',
  '0oa1e2eClient',
  'okta.users.read',
] as const;

/** One hostile piece, random text, or a mix; long strings now and then. */
export function hostileText(options: { maxLength?: number } = {}): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_PIECES) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  );
  const mixed = fc.array(piece, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''));
  const long = fc
    .tuple(fc.constantFrom(...HOSTILE_PIECES), fc.integer({ min: 1_000, max: 100_000 }))
    .map(([text, length]) => text.repeat(Math.ceil(length / text.length)).slice(0, length));
  const text = fc.oneof(
    { weight: 8, arbitrary: mixed },
    { weight: 1, arbitrary: long },
    { weight: 1, arbitrary: fc.constant('x'.repeat(100_000)) },
  );
  return options.maxLength === undefined
    ? text
    : text.map((value) => value.slice(0, options.maxLength));
}

/** Every mrkdwn text in a Block Kit payload, plus a message's top-level `text`. */
export function mrkdwnTexts(payload: unknown, isMessage = false): string[] {
  const found: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (record.type === 'mrkdwn' && typeof record.text === 'string') found.push(record.text);
    for (const child of Object.values(record)) walk(child);
  };
  walk(payload);
  if (isMessage && payload && typeof payload === 'object') {
    const text = (payload as { text?: unknown }).text;
    if (typeof text === 'string') found.push(text);
  }
  return found;
}

/**
 * Slack reads `<…>` in mrkdwn as a mention, a channel or a link. The bot's own texts use
 * `<@U…>` for real user ids and nothing else, so any other `<` is input that got through
 * unescaped; bidirectional overrides and control characters could disguise a text.
 */
export function unsafeMrkdwn(text: string): string[] {
  const problems: string[] = [];
  const withoutMentions = text.replace(/<@[UW][A-Z0-9]+>/g, '');
  if (withoutMentions.includes('<'))
    problems.push(`raw < in ${JSON.stringify(text.slice(0, 200))}`);
  if (/[\u202A-\u202E\u2066-\u2069]/u.test(text)) problems.push('a bidirectional override');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  if (/[\u0000-\u0009\u000B-\u001F\u007F]/.test(text)) problems.push('a control character');
  return problems;
}

/** Every Web API call the bot made was accepted, and every mrkdwn text in them is safe. */
export function expectSlackCallsSafe(h: Harness): void {
  const refused = h.slack
    .calls()
    .filter((call) => call.response.ok !== true)
    .map((call) => ({ method: call.method, response: call.response }));
  expect(refused).toEqual([]);
  for (const call of h.slack.calls()) {
    const isMessage = call.method.startsWith('chat.');
    const problems = mrkdwnTexts(call.args, isMessage).flatMap(unsafeMrkdwn);
    expect(problems, `${call.method}`).toEqual([]);
  }
  for (const post of h.slack.responseUrlPosts()) {
    expect(errorsOnly(validateMessage(post.body))).toEqual([]);
    expect(mrkdwnTexts(post.body, true).flatMap(unsafeMrkdwn)).toEqual([]);
  }
}

/** The input block ids of a modal: the only keys an `errors` answer may name. */
export function inputBlockIds(view: { blocks?: unknown }): string[] {
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  return blocks
    .filter((b): b is { type: string; block_id: string } => b?.type === 'input')
    .map((b) => b.block_id);
}

export type ModalAnswer =
  | { kind: 'errors'; errors: Record<string, string> }
  | { kind: 'push' | 'update'; view: Record<string, unknown> }
  | { kind: 'too_large' };

/**
 * What Slack's client would make of the bot's answer to a view_submission of `view`:
 * field errors on the view's own inputs, or a modal within Slack's limits whose mrkdwn
 * is safe. Anything else (a 500, a non-JSON body, a broken modal) fails the test.
 */
export function readModalAnswer(
  response: { status: number; text: string; body: unknown },
  view: { blocks?: unknown },
  sentBytes: number,
): ModalAnswer {
  if (response.status === 413 && sentBytes > 1024 * 1024) return { kind: 'too_large' };
  expect(response.status, response.text.slice(0, 300)).toBe(200);
  const body = response.body as Record<string, unknown>;
  expect(body && typeof body === 'object', `answer: ${response.text.slice(0, 300)}`).toBe(true);
  if (body.response_action === 'errors') {
    const errors = body.errors as Record<string, unknown>;
    const allowed = inputBlockIds(view);
    for (const [key, message] of Object.entries(errors)) {
      expect(allowed, `error on ${key}`).toContain(key);
      expect(typeof message).toBe('string');
    }
    return { kind: 'errors', errors: errors as Record<string, string> };
  }
  expect(['push', 'update']).toContain(body.response_action);
  expect(errorsOnly(validateView(body.view, { expect: 'modal' }))).toEqual([]);
  expect(mrkdwnTexts(body.view).flatMap(unsafeMrkdwn)).toEqual([]);
  return {
    kind: body.response_action as 'push' | 'update',
    view: body.view as Record<string, unknown>,
  };
}

/** The modal an answer pushed or updated to; fails when it was anything else. */
export function viewOf(answer: ModalAnswer): Record<string, unknown> {
  if (answer.kind !== 'push' && answer.kind !== 'update') {
    throw new Error(`expected a modal, got ${JSON.stringify(answer).slice(0, 300)}`);
  }
  return answer.view;
}

/**
 * The bot process still answers, and logged no error since the last check: a listener
 * that threw (a crash caught by Bolt) shows up here even when Slack got its answer.
 */
export async function expectAlive(h: Harness): Promise<void> {
  const health = await fetch(`${h.publicUrl}/healthz`);
  expect(health.status).toBe(200);
  await health.text();
  const checked = checkedLogLines.get(h) ?? 0;
  const errors = h.logs
    .slice(checked)
    .filter((line) => (JSON.parse(line) as { level: number }).level >= 50)
    .map((line) => line.slice(0, 1500));
  checkedLogLines.set(h, h.logs.length);
  expect(errors).toEqual([]);
}
const checkedLogLines = new WeakMap<Harness, number>();

/**
 * One harness for a security `describe`, handed to `ready` (which keeps it and does the
 * describe's own setup) before the tests; after every test the bot must still be alive
 * and its Slack calls safe, and the call log starts afresh for the next test.
 */
export function hostileHarness(
  options: HarnessOptions,
  ready: (h: Harness) => void | Promise<void>,
): void {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness(options);
    await ready(harness);
  });
  afterAll(async () => {
    await harness?.close();
  });
  afterEach(async () => {
    if (!harness) return;
    await expectAlive(harness);
    expectSlackCallsSafe(harness);
    harness.slack.clearCalls();
  });
}

/** The tag names of an HTML page in order: injected markup changes this sequence. */
export function tagSequence(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1] ?? '');
}

/** `text` as UTF-8 carries it: a lone surrogate becomes U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(/\p{Cs}/gu, '\uFFFD');
}

/** What the bot's HTML escaping should make of `text` (written here independently). */
export function htmlEscaped(text: string): string {
  const entities: Record<string, string> = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;',
  };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return text.replace(/[&<>"']|[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, (c) => {
    return entities[c] ?? '\uFFFD';
  });
}

export interface FetchRecord {
  url: string;
  method: string;
  status: number;
  /** The answer's text for token endpoint calls (to learn the tokens Okta issued). */
  body?: string;
}

/**
 * Wraps the global `fetch` for as long as it is installed: every request the bot (and
 * the test) makes in this process is recorded, and answers from a token endpoint keep
 * their body. `restore()` puts the original back.
 */
export function recordFetches(options: { offline?: boolean } = {}): {
  records: FetchRecord[];
  restore(): void;
} {
  const original = globalThis.fetch;
  const records: FetchRecord[] = [];
  const recording: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const record: FetchRecord = { url, method, status: 0 };
    records.push(record);
    // Offline: a host beyond this machine answers as an unknown name would, so a test
    // never reaches the internet (a real acme.okta.com) whatever the machine's network.
    if (options.offline && new URL(url).hostname !== '127.0.0.1') {
      throw new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } });
    }
    const response = await original(input, init);
    record.status = response.status;
    if (new URL(url).pathname.endsWith('/oauth2/v1/token')) {
      record.body = await response.clone().text();
    }
    return response;
  };
  globalThis.fetch = recording;
  return {
    records,
    restore() {
      if (globalThis.fetch === recording) globalThis.fetch = original;
    },
  };
}

/**
 * A pending connection and its setup link, made the way the wizard's last step makes
 * them but without Slack, so a test can spend one link per run. The nickname is stored
 * as given: the wizard would refuse most of what tests put there.
 */
export function newSetupLink(
  h: Harness,
  nickname: string,
  options: { domain?: string; clientId?: string } = {},
): { link: string; connection: Connection } {
  const teamId = h.slack.identity.teamId;
  const scopes = ['openid', 'offline_access', 'okta.users.read'];
  const created = h.bot.flows.connections.createPending({
    teamId,
    nickname,
    orgKind: 'other',
    domain: options.domain ?? ORG,
    clientId: options.clientId ?? CLIENT_ID,
    scopeMode: 'custom',
    requestedScopes: scopes,
    createdBy: ADMIN,
    notifyChannel: 'CALERTS',
  });
  if (!created.ok) throw new Error(`nickname ${nickname} is taken`);
  const { linkToken } = h.bot.flows.authRequests.create({
    connectionId: created.connection.id,
    teamId,
    purpose: 'create',
    scopeMode: 'custom',
    connectionVersion: created.connection.version,
    requestedScopes: scopes,
    slackUserId: ADMIN,
    expiresAt: Date.now() + 15 * 60_000,
  });
  return { link: `${h.publicUrl}/connect/${linkToken}`, connection: created.connection };
}

/**
 * One HTTP request whose path and body go out exactly as given (`fetch` normalizes
 * paths and refuses some), answered with status and text.
 */
export function rawHttp(
  base: string,
  input: { method: string; path: string; headers?: Record<string, string>; body?: Buffer },
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        path: input.path,
        method: input.method,
        headers: input.headers ?? {},
        // A fresh connection each time: a refused body may leave a kept-alive socket closing.
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(input.body);
  });
}
