import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../e2e/harness.ts';
import { seedActiveConnections } from '../e2e/seed.ts';
import { type Family, parsePrometheus, sampleValue } from './prometheus.ts';

const HOUR = 60 * 60_000;

async function get(h: Harness, path: string) {
  const res = await fetch(`${h.publicUrl}${path}`, { signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), text };
}

async function scrape(h: Harness): Promise<Map<string, Family>> {
  const res = await get(h, '/metrics');
  expect(res.status).toBe(200);
  return parsePrometheus(res.text);
}

/** Scrapes until `check` holds (bounded): for counters bumped after Slack got its ack. */
async function scrapeUntil(h: Harness, check: (m: Map<string, Family>) => boolean) {
  for (let i = 0; i < 100; i += 1) {
    const metrics = await scrape(h);
    if (check(metrics)) return metrics;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the metrics never showed it');
}

describe('health, readiness and metrics of a running bot', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers GET /healthz with 200 and the database status while the process is alive', async () => {
    const res = await get(h, '/healthz');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ status: 'ok', database: { ok: true } });
  });

  it('answers GET /readyz with 200 when the database is migrated and the sweep is scheduled', async () => {
    const res = await get(h, '/readyz');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({
      status: 'ready',
      database: {
        ok: true,
        dialect: 'sqlite',
        journalMode: 'wal',
        migrations: expect.any(Number),
      },
      scheduler: true,
    });
  });

  it('answers GET /metrics in the Prometheus text format, HELP and TYPE before samples', async () => {
    const res = await get(h, '/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheus(res.text);
    expect(Object.fromEntries([...families.values()].map((f) => [f.name, f.type]))).toEqual({
      okta_connect_connections: 'gauge',
      okta_connect_refresh_total: 'counter',
      okta_connect_flow_duration_seconds: 'histogram',
      okta_connect_slack_errors_total: 'counter',
      okta_connect_okta_errors_total: 'counter',
      okta_connect_http_requests_total: 'counter',
      okta_connect_api_requests_total: 'counter',
    });
  });

  it('reports connections by status as the database has them, zeros included', async () => {
    const before = await scrape(h);
    for (const status of ['pending', 'active', 'needs_reauth']) {
      expect(sampleValue(before, 'okta_connect_connections', { status })).toBe(0);
    }
    await seedActiveConnections(h, 2, { prefix: 'fresh' });
    await h.bot.flows.connections.createPending({
      teamId: h.slack.identity.teamId,
      nickname: 'half-made',
      orgKind: 'other',
      domain: 'acme.okta.com',
      clientId: '0oaPending',
      scopeMode: 'default',
      requestedScopes: ['okta.users.read'],
      createdBy: 'UADMIN1',
      notifyChannel: 'CALERTS',
    });
    const after = await scrape(h);
    expect(sampleValue(after, 'okta_connect_connections', { status: 'active' })).toBe(2);
    expect(sampleValue(after, 'okta_connect_connections', { status: 'pending' })).toBe(1);
    expect(sampleValue(after, 'okta_connect_connections', { status: 'needs_reauth' })).toBe(0);
  });

  it('counts refreshes by outcome and times the sweep in histogram buckets', async () => {
    await seedActiveConnections(h, 2, { prefix: 'due', now: Date.now() - 2 * HOUR });
    const report = await h.bot.health.runNow();
    expect(report).toMatchObject({ refreshed: 2, failed: 0 });

    const metrics = await scrape(h);
    expect(sampleValue(metrics, 'okta_connect_refresh_total', { outcome: 'refreshed' })).toBe(2);
    const flow = { flow: 'health_sweep' };
    expect(sampleValue(metrics, 'okta_connect_flow_duration_seconds_count', flow)).toBe(1);
    expect(sampleValue(metrics, 'okta_connect_flow_duration_seconds_sum', flow)).toBeGreaterThan(0);
    const buckets = metrics
      .get('okta_connect_flow_duration_seconds')
      ?.samples.filter((s) => s.name.endsWith('_bucket') && s.labels.flow === 'health_sweep');
    expect(buckets?.map((b) => b.labels.le)).toEqual([
      '0.005',
      '0.01',
      '0.025',
      '0.05',
      '0.1',
      '0.25',
      '0.5',
      '1',
      '2.5',
      '5',
      '10',
      '+Inf',
    ]);
    const counts = buckets?.map((b) => b.value) ?? [];
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts.at(-1)).toBe(1);
  });

  it('counts Okta errors by code, and the needs_reauth outcome, after Okta refuses a refresh', async () => {
    await seedActiveConnections(h, 1, { prefix: 'revoked', now: Date.now() - 2 * HOUR });
    h.okta.revokeTokens({});
    const report = await h.bot.health.runNow();
    expect(report).toMatchObject({ needsReauth: 1 });

    const metrics = await scrape(h);
    expect(sampleValue(metrics, 'okta_connect_okta_errors_total', { code: '400' })).toBe(1);
    expect(sampleValue(metrics, 'okta_connect_refresh_total', { outcome: 'needsReauth' })).toBe(1);
    expect(sampleValue(metrics, 'okta_connect_connections', { status: 'needs_reauth' })).toBe(1);
  });

  it('counts Slack errors by code after a Web API call fails', async () => {
    h.slack.failNext('views.open', 'expired_trigger_id');
    const res = await h.admin.command('');
    expect(res.status).toBe(200);
    const metrics = await scrapeUntil(
      h,
      (m) =>
        sampleValue(m, 'okta_connect_slack_errors_total', { code: 'expired_trigger_id' }) === 1,
    );
    expect(
      sampleValue(metrics, 'okta_connect_http_requests_total', { route: '/slack/events' }),
    ).toBe(1);
  });

  it('labels HTTP requests by route pattern, never by the path a setup link carries', async () => {
    const token = 'tok-must-not-reach-metrics-0123456789';
    await get(h, `/connect/${token}`);
    await get(h, '/no/such/page');
    const res = await get(h, '/metrics');
    expect(res.text).not.toContain(token);
    const metrics = parsePrometheus(res.text);
    const routes = metrics
      .get('okta_connect_http_requests_total')
      ?.samples.map((sample) => sample.labels.route);
    expect(routes).toContain('/connect/:token');
    expect(routes).toContain('unmatched');
    expect(routes).not.toContain('/no/such/page');
  });
});

describe('readiness when the bot cannot work', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('answers GET /readyz with 503 once the sweep scheduler has stopped, /healthz still 200', async () => {
    h = await startHarness();
    await h.bot.health.stop();
    const ready = await get(h, '/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toMatchObject({ status: 'not_ready', scheduler: false });
    expect((await get(h, '/healthz')).status).toBe(200);
  });

  it('answers GET /readyz with 503 when the database is closed; /metrics still answers', async () => {
    h = await startHarness();
    await h.database.close();
    const ready = await get(h, '/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toMatchObject({
      status: 'not_ready',
      database: { ok: false },
      scheduler: true,
    });
    const health = await get(h, '/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toMatchObject({ database: { ok: false } });
    const metrics = await scrape(h);
    expect(metrics.get('okta_connect_connections')?.samples).toEqual([]);
  });
});
