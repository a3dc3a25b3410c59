import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { createLogger } from '../../src/logger.ts';
import { createMetrics } from '../../src/metrics.ts';
import { type ApiKey, parseApiKeyHashes } from '../../src/web/api/apiKeys.ts';
import { apiRoutes } from '../../src/web/api/apiRoutes.ts';
import { createWebServer } from '../../src/web/server.ts';
import type { Harness } from './harness.ts';

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** The keys as `API_KEY_HASHES` would list them. */
export function apiKeys(entries: string[]): ApiKey[] {
  const parsed = parseApiKeyHashes(entries.join(','));
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.keys;
}

/** The bot's clock for `startHarness({ now })`, moved by tests instead of waiting. */
export function movableClock() {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms: number) {
      offset += ms;
    },
  };
}

export interface ApiServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * The API's routes on a web server of their own, beside the harness's bot, on the bot's
 * database, Okta peer and Slack stand-in: what the composition root will do with them,
 * without editing it. The server is the bot's (`createWebServer`), so routes are matched
 * exactly as in the bot.
 */
export async function startApi(h: Harness, keys: readonly ApiKey[]): Promise<ApiServer> {
  const web = createWebServer({
    routes: apiRoutes(h.bot.flows, h.bot.alerts, keys, { owner: 'api-test' }),
    logger: createLogger('silent'),
    metrics: createMetrics(),
  });
  const port = await web.listen(0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, stop: () => web.close(1000) };
}

/**
 * A request whose path goes out exactly as written: `fetch` resolves `..` and `%2e%2e`
 * before sending, which would hide what the proxy must refuse.
 */
export function rawRequest(
  base: string,
  path: string,
  key: string,
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname, port, path, method: 'GET', headers: { Authorization: `Bearer ${key}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
