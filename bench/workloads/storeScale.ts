import type { TokenResponse } from '../../test/peers/okta/index.ts';
import type { Child } from '../lib/children.ts';
import { API_KEY, TEAM_ID } from '../lib/fixtures.ts';
import { type Latency, timeCalls } from '../lib/stats.ts';
import { sendOnce, signedCommands } from './slackRequests.ts';

type Timed = Latency & { calls: number };

export interface ScalePoint {
  connections: number;
  databaseBytes: number;
  /** `/okta-connect list` over HTTP: listPage's count and first page, in Bolt's ack. */
  list: Timed;
  /** The Home tab's first page, rendered in the bot process (no Slack call). */
  home: Timed;
  /** `POST /api/connections/:nickname/token` over HTTP, fresh tokens (no Okta call). */
  token: Timed;
  /** `GET /metrics` over HTTP: connections by status, counted in the store (absent in older results). */
  metrics?: Timed;
}

export interface ScaleOptions {
  /** For the log lines: which store the bot was started with. */
  store: 'SQLite' | 'PostgreSQL';
  sizes: readonly number[];
  maxCalls: number;
  budgetMs: number;
  oktaUserId: string;
  log: (line: string) => void;
}

const BATCH = 5000;

/**
 * Workload 5: the store at each size, every connection in one workspace (the worst case
 * for that workspace's list and Home tab), on the store the bot was started with. Rows are copies of one real token set: the
 * paths measured read and decrypt tokens but do not call Okta.
 */
export async function measureStoreScale(
  bot: Child<{ port: number }>,
  okta: Child<unknown>,
  options: ScaleOptions,
): Promise<ScalePoint[]> {
  const [tokens] = await okta.call<TokenResponse[]>('issueTokens', { count: 1 });
  const botUrl = `http://127.0.0.1:${bot.ready.port}`;
  const points: ScalePoint[] = [];
  let stored = 0;
  for (const size of options.sizes) {
    while (stored < size) {
      const count = Math.min(BATCH, size - stored);
      await bot.call('seed', {
        teamId: TEAM_ID,
        prefix: 'scale',
        from: stored,
        tokens: [tokens],
        count,
        oktaUserId: options.oktaUserId,
      });
      stored += count;
    }
    // As autovacuum (PostgreSQL) would after the load; ANALYZE on SQLite.
    await bot.call('analyze', {});
    const list = await timeCalls(async () => {
      const [request] = signedCommands(1, 'list');
      const answer = await sendOnce(botUrl, request as NonNullable<typeof request>);
      if (answer.status !== 200 || !answer.text.includes('blocks')) {
        throw new Error(`list answered ${answer.status} ${answer.text.slice(0, 200)}`);
      }
    }, options);
    const home = await bot.call<Timed>('homeRender', {
      teamId: TEAM_ID,
      maxCalls: options.maxCalls,
      budgetMs: options.budgetMs,
    });
    const token = await timeCalls(async (i) => {
      const nickname = `scale-${(i * 7919) % size}`;
      const response = await fetch(`${botUrl}/api/connections/${nickname}/token`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${API_KEY}` },
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`token answered ${response.status} ${text}`);
    }, options);
    const metrics = await timeCalls(async () => {
      const response = await fetch(`${botUrl}/metrics`);
      const text = await response.text();
      // The gauge must be there with every connection counted, not left out of the scrape.
      const active = /^okta_connect_connections\{status="active"\} (\d+)$/m.exec(text);
      if (response.status !== 200 || Number(active?.[1]) !== size) {
        throw new Error(`/metrics answered ${response.status} without ${size} active connections`);
      }
    }, options);
    const databaseBytes = await bot.call<number>('dbSize');
    points.push({
      connections: size,
      databaseBytes,
      list,
      home,
      token,
      metrics,
    });
    options.log(
      `  ${options.store}, ${size} connections, ${(databaseBytes / 1e6).toFixed(1)} MB: list p50 ${list.p50} ms, Home p50 ${home.p50} ms (${home.calls} calls), token p50 ${token.p50} ms, /metrics p50 ${metrics.p50} ms`,
    );
  }
  return points;
}
