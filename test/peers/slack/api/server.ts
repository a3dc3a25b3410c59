import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeRequest, readBody } from './parse.ts';
import type { ResponseUrls } from './response-urls.ts';
import type { WebApi } from './web-api.ts';

export interface RunningServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves `/api/<method>` and the response URLs on 127.0.0.1 at a free port. */
export async function serve(api: WebApi, responseUrls: ResponseUrls): Promise<RunningServer> {
  const server = createServer((req, res) => {
    route(req, res, api, responseUrls).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => shutdown(server) };
}

async function route(req: IncomingMessage, res: ServerResponse, api: WebApi, urls: ResponseUrls) {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const raw = await readBody(req);
  if (url.pathname.startsWith('/api/')) {
    const method = decodeURIComponent(url.pathname.slice('/api/'.length));
    const decoded = decodeRequest(
      req.headers['content-type'],
      req.headers.authorization,
      raw,
      url.searchParams,
    );
    const answer = api.handle(method, decoded);
    res.writeHead(answer.status, {
      'Content-Type': 'application/json; charset=utf-8',
      ...answer.headers,
    });
    res.end(JSON.stringify(answer.body));
    return;
  }
  if (req.method === 'POST' && url.pathname.startsWith('/hooks/')) {
    const fullUrl = `http://${req.headers.host}${url.pathname}`;
    const answer = urls.receive(url.pathname, fullUrl, parseJson(raw));
    res.writeHead(answer.status, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(answer.text);
    return;
  }
  res.writeHead(404, { 'Content-Type': 'text/plain' });
  res.end('not found');
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function shutdown(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive sockets from fetch would otherwise hold close() open.
    server.closeAllConnections();
  });
}
