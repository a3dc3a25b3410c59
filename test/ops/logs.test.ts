import { Writable } from 'node:stream';
import { LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boltLogger } from '../../src/boltLogger.ts';
import { createLogger } from '../../src/logger.ts';
import { ADMIN, type Harness, SIGNING_SECRET, startHarness } from '../e2e/harness.ts';
import { seedActiveConnections } from '../e2e/seed.ts';
import { slashCommand } from '../peers/slack/index.ts';
import { waitUntil } from '../waitUntil.ts';

type Line = Record<string, unknown>;

/** A pino logger writing into an array, one parsed object per line. */
function memoryLogger(level = 'debug') {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Line);
      done();
    },
  });
  return { logger: createLogger(level, sink), lines };
}

const parse = (text: string) => JSON.parse(text) as Line;

describe('log lines of the running bot', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('stamps every line written while serving a request with its X-Request-Id, Bolt and Web API lines included', async () => {
    const from = h.logs.length;
    const reqId = 'ops-logs-req-0001';
    const res = await slashCommand({
      signingSecret: SIGNING_SECRET,
      userId: ADMIN,
      teamId: h.slack.identity.teamId,
      channelId: 'CALERTS',
      triggerId: h.slack.issueTriggerId({ userId: ADMIN }),
      responseUrl: h.slack.issueResponseUrl(),
      headers: { 'X-Request-Id': reqId },
    }).send(h.requestUrl);
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe(reqId);
    await h.slack.waitForCalls('views.open');
    // The modal is opened after the ack; its Web API lines come last.
    await waitUntil(
      () => h.logs.slice(from).some((line) => line.includes("apiCall('views.open') end")),
      'the views.open log line',
      { timeoutMs: 5000, intervalMs: 10 },
    );

    const lines = h.logs.slice(from).map(parse);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(line, JSON.stringify(line)).toMatchObject({ reqId });
    expect(lines.some((line) => line.component === 'bolt')).toBe(true);
  });

  it('gives a request without a usable X-Request-Id an id of its own', async () => {
    const ids = new Set<string>();
    for (const offered of [undefined, 'has spaces in it', 'x'.repeat(65)]) {
      const res = await fetch(`${h.publicUrl}/healthz`, {
        headers: offered ? { 'X-Request-Id': offered } : {},
      });
      await res.body?.cancel();
      const id = res.headers.get('x-request-id') ?? '';
      expect(id).toMatch(/^[0-9a-f]{16}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(3);
  });

  it('stamps the lines of a health sweep with one job id and no request id', async () => {
    // A connection whose token Okta no longer honours: the sweep refreshes, fails,
    // marks it and posts the alert, logging as it goes.
    await seedActiveConnections(h, 1, { now: Date.now() - 2 * 60 * 60_000 });
    h.okta.revokeTokens({});
    const from = h.logs.length;
    const report = await h.bot.health.runNow();
    expect(report).toMatchObject({ needsReauth: 1 });

    const lines = h.logs.slice(from).map(parse);
    expect(lines.some((line) => line.msg === 'health sweep done')).toBe(true);
    expect(lines.some((line) => line.component === 'bolt')).toBe(true);
    const jobIds = new Set(lines.map((line) => line.jobId));
    expect([...jobIds]).toEqual([expect.stringMatching(/^sweep-[0-9a-f]{12}$/)]);
    expect(lines.filter((line) => 'reqId' in line)).toEqual([]);
  });

  it('writes only JSON lines with a level, an ISO time, the service and a message', () => {
    for (const text of h.logs) {
      const line = parse(text);
      expect(line).toMatchObject({ level: expect.any(Number), service: 'okta-connect' });
      expect(new Date(String(line.time)).toISOString()).toBe(line.time);
      expect(typeof line.msg).toBe('string');
    }
  });
});

describe("Bolt's logger", () => {
  it('writes Bolt lines through pino as JSON with component bolt, errors under err', () => {
    const { logger, lines } = memoryLogger('debug');
    const bolt = boltLogger(logger);
    bolt.warn('An incoming event was not acknowledged within', 3, 'seconds');
    bolt.error('listener failed', new Error('boom'));
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        component: 'bolt',
        msg: 'An incoming event was not acknowledged within 3 seconds',
      }),
      expect.objectContaining({
        level: 50,
        component: 'bolt',
        msg: 'listener failed',
        err: expect.objectContaining({ message: 'boom', type: 'Error' }),
      }),
    ]);
  });

  it("follows the level Bolt sets, without changing the bot's own", () => {
    const { logger, lines } = memoryLogger('debug');
    const bolt = boltLogger(logger);
    bolt.setLevel(LogLevel.WARN);
    expect(bolt.getLevel()).toBe(LogLevel.WARN);
    bolt.info('quiet');
    bolt.warn('loud');
    logger.debug('bot detail');
    expect(lines.map((line) => line.msg)).toEqual(['loud', 'bot detail']);
  });

  it('formats nothing for a line below the level (Bolt and the Web API client write debug lines on every call)', () => {
    let serialised = 0;
    const argument = {
      toJSON() {
        serialised += 1;
        return { view: 'a modal' };
      },
    };
    const quiet = memoryLogger('warn');
    boltLogger(quiet.logger).debug('http request body:', argument);
    expect(serialised).toBe(0);
    expect(quiet.lines).toEqual([]);

    const loud = memoryLogger('debug');
    boltLogger(loud.logger).debug('http request body:', argument);
    expect(serialised).toBe(1);
    expect(loud.lines.map((line) => line.msg)).toEqual(['http request body: {"view":"a modal"}']);
  });
});

describe('redaction', () => {
  const SECRET = 'S3CRET-VALUE-must-not-appear';
  // Every spelling of a secret the bot and its libraries use: OAuth credentials and
  // tokens (camelCase and Okta's snake_case), PKCE, the setup link, Slack and key material.
  const FIELDS = [
    'clientSecret',
    'client_secret',
    'accessToken',
    'access_token',
    'refreshToken',
    'refresh_token',
    'idToken',
    'id_token',
    'codeVerifier',
    'code_verifier',
    'pkceVerifier',
    'password',
    'token',
    'linkToken',
    'browserBinding',
    'apiKey',
    'botToken',
    'appToken',
    'signingSecret',
    'encryptionKey',
    'authorization',
    'Authorization',
    'cookie',
    'set-cookie',
  ];
  const HEADERS = [
    'authorization',
    'Authorization',
    'proxy-authorization',
    'cookie',
    'Cookie',
    'set-cookie',
    'Set-Cookie',
  ];

  const logged = (object: Record<string, unknown>) => {
    const { logger, lines } = memoryLogger('info');
    logger.info(object, 'with a secret');
    return lines[0] ?? {};
  };

  it.each(FIELDS)('censors %s at the top of a log object and one level down', (name) => {
    const top = logged({ [name]: SECRET, connectionId: 'c1' });
    expect(top[name]).toBe('[redacted]');
    expect(top.connectionId).toBe('c1');
    const nested = logged({ tokens: { [name]: SECRET, scope: 'openid' } });
    expect(nested.tokens).toEqual({ [name]: '[redacted]', scope: 'openid' });
    const inError = logged({ err: Object.assign(new Error('refresh failed'), { [name]: SECRET }) });
    expect(JSON.stringify(inError)).not.toContain(SECRET);
    expect((inError.err as Line).message).toBe('refresh failed');
  });

  it.each(HEADERS)(
    'censors the %s header in headers, req.headers, res.headers and any object’s headers',
    (name) => {
      const line = logged({
        headers: { [name]: SECRET, accept: 'application/json' },
        req: { headers: { [name]: SECRET } },
        res: { headers: { [name]: [SECRET] } },
        response: { headers: { [name]: SECRET } },
      });
      expect(JSON.stringify(line)).not.toContain(SECRET);
      expect(line.headers).toEqual({ [name]: '[redacted]', accept: 'application/json' });
    },
  );

  it('keeps what is not secret: ids, codes and messages', () => {
    const line = logged({ connectionId: 'c1', code: 'invalid_grant', userId: 'U1' });
    expect(line).toMatchObject({ connectionId: 'c1', code: 'invalid_grant', userId: 'U1' });
  });
});
