import { connect, type Socket } from 'node:net';
import type { CustomRoute } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createWebServer, type WebServer } from '../../src/web/server.ts';
import { refused, waitUntil } from '../waitUntil.ts';

/**
 * How the bot's HTTP server stops: over raw keep-alive sockets, as a reverse proxy's
 * connection pool would talk to it.
 */

interface RawClient {
  socket: Socket;
  text(): string;
  closed: Promise<void>;
  get(path: string): void;
}

function rawClient(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('error', reject);
    socket.once('connect', () =>
      resolve({
        socket,
        text: () => text,
        closed,
        get: (path) => socket.write(`GET ${path} HTTP/1.1\r\nHost: bot\r\n\r\n`),
      }),
    );
  });
}

let web: WebServer | undefined;
const clients: RawClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.destroy();
  await web?.close(0);
  web = undefined;
});

/** A server with `/fast` and `/slow` (answers when `release()` is called). */
async function start() {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let slowStarted = false;
  const routes: CustomRoute[] = [
    { path: '/fast', method: ['GET'], handler: (_req, res) => res.end('fast') },
    {
      path: '/slow',
      method: ['GET'],
      handler: (_req, res) => {
        slowStarted = true;
        void released.then(() => res.end('slow done'));
      },
    },
  ];
  web = createWebServer({ routes, logger: createLogger('silent'), metrics: createMetrics() });
  const port = await web.listen(0, '127.0.0.1');
  const client = async () => {
    const made = await rawClient(port);
    clients.push(made);
    return made;
  };
  return { web, port, client, release, slowStarted: () => slowStarted };
}

describe('closing the web server', () => {
  it('refuses new connections at once, and lets the request under way finish with Connection: close', async () => {
    const s = await start();
    const busy = await s.client();
    busy.get('/slow');
    await waitUntil(s.slowStarted, 'the slow request to start', { timeoutMs: 5000, intervalMs: 5 });

    let closed = false;
    const closing = s.web.close(10_000).then(() => {
      closed = true;
    });
    expect(await refused(s.port)).toBe(true);
    expect(closed).toBe(false);

    s.release();
    await busy.closed;
    expect(busy.text()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(busy.text()).toMatch(/\r\nConnection: close\r\n/i);
    expect(busy.text()).toMatch(/slow done$/);
    await closing;
  });

  it('drops kept-alive connections that are idle when it starts closing', async () => {
    const s = await start();
    const idle = await s.client();
    idle.get('/fast');
    await waitUntil(() => idle.text().endsWith('fast'), 'the fast answer', {
      timeoutMs: 5000,
      intervalMs: 5,
    });
    expect(idle.text()).toMatch(/\r\nConnection: keep-alive\r\n/i);

    await s.web.close(10_000);
    await idle.closed;
  });

  it('cuts a request still running when the grace period ends', async () => {
    const s = await start();
    const stuck = await s.client();
    stuck.get('/slow');
    await waitUntil(s.slowStarted, 'the slow request to start', { timeoutMs: 5000, intervalMs: 5 });

    await s.web.close(50);
    await stuck.closed;
    expect(stuck.text()).toBe('');
  });
});
