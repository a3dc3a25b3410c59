import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackFetch } from '../src/slackFetch.ts';
import { type SlackPeer, startSlackPeer } from './peers/slack/index.ts';

let slack: SlackPeer;
const http = createSlackFetch();

/** A plain HTTP server whose answer each test chooses; it records what it received. */
let server: Server;
let origin: string;
let answer: (req: IncomingMessage, body: string, res: ServerResponse) => void;
const received: { method: string; headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  slack = await startSlackPeer({ users: [{ id: 'U1', isAdmin: true }] });
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ method: req.method ?? '', headers: req.headers, body });
      answer(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await http.close();
  await slack.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('the Slack client’s fetch (undici request)', () => {
  it('carries method, headers and body out, and status, headers and body back', async () => {
    answer = (_req, _body, res) => {
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.setHeader('X-OAuth-Scopes', 'chat:write,users:read');
      res.end('{"ok":true,"é":"ü"}');
    };
    const response = await http.fetch(`${origin}/api/chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'Bearer x' },
      body: 'channel=C1&text=h%C3%A9',
    });
    expect(received.at(-1)).toMatchObject({
      method: 'POST',
      body: 'channel=C1&text=h%C3%A9',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'Bearer x',
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-oauth-scopes')).toBe('chat:write,users:read');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ ok: true, é: 'ü' });
  });

  it('answers a status without a body (204) and does not follow a redirect', async () => {
    answer = (_req, _body, res) => res.writeHead(204).end();
    const empty = await http.fetch(`${origin}/x`, { method: 'POST', body: '' });
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');

    answer = (req, _body, res) => {
      if (req.url === '/moved') res.writeHead(302, { Location: '/elsewhere' }).end();
      else res.end('followed');
    };
    const moved = await http.fetch(`${origin}/moved`, { method: 'POST', body: '' });
    expect(moved.status).toBe(302);
    expect(received.at(-1)?.body).toBe('');
  });

  it('closes its pool once, however often it is asked', async () => {
    const other = createSlackFetch();
    answer = (_req, _body, res) => res.end('{}');
    expect((await other.fetch(`${origin}/x`, { method: 'POST', body: '' })).status).toBe(200);
    await Promise.all([other.close(), other.close()]);
    await other.close();
    await expect(other.fetch(`${origin}/x`, { method: 'POST', body: '' })).rejects.toThrow(
      /destroyed|closed/i,
    );
  });

  it('gives up when the signal aborts, and rejects when nobody listens', async () => {
    answer = () => {
      // Never answers.
    };
    await expect(
      http.fetch(`${origin}/slow`, { method: 'POST', body: '', signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow(/abort|timeout/i);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(http.fetch(`http://127.0.0.1:${port}/`, { method: 'POST' })).rejects.toThrow();
  });

  it('serves the Web API client against the Slack stand-in: a modal, errors and 429s', async () => {
    const client = new webApi.WebClient('xoxb-test', {
      slackApiUrl: slack.apiUrl,
      fetch: http.fetch,
      retryConfig: { retries: 1, minTimeout: 10, maxTimeout: 10 },
      logLevel: webApi.LogLevel.ERROR,
    });
    const trigger = slack.issueTriggerId();
    const opened = await client.views.open({
      trigger_id: trigger,
      view: {
        type: 'modal',
        title: { type: 'plain_text', text: 'Héllo' },
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Hi.' } }],
      },
    });
    expect(opened.view?.title?.text).toBe('Héllo');
    expect(slack.lastCall('views.open')?.args).toMatchObject({ trigger_id: trigger });

    slack.failNext('users.info', 'user_not_found');
    await expect(client.users.info({ user: 'U1' })).rejects.toMatchObject({
      data: { ok: false, error: 'user_not_found' },
    });

    slack.rateLimit('users.info', { retryAfterSeconds: 0 });
    const info = await client.users.info({ user: 'U1' });
    expect(info.user?.id).toBe('U1');
    expect(slack.callCount('users.info')).toBe(3);
  });
});
