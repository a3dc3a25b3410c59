import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CONNECTION_STATUSES } from './db/schema.ts';

/** The bot's Prometheus metrics (`GET /metrics`), one registry per bot instance. */
export function createMetrics(
  options: { connectionsByStatus?: () => Record<string, number> } = {},
) {
  const registry = new Registry();
  const metrics = {
    registry,
    connections: new Gauge({
      name: 'okta_connect_connections',
      help: 'Connections by status',
      labelNames: ['status'] as const,
      registers: [registry],
      // Counted from the database when scraped: the truth, not a running tally. Every
      // status is reported, 0 included, so that an alert on needs_reauth sees it clear.
      // When the database cannot answer the gauge is left out (and /readyz says 503),
      // rather than failing the whole scrape.
      collect() {
        this.reset();
        const source = options.connectionsByStatus;
        if (!source) return;
        let counts: Record<string, number>;
        try {
          counts = source();
        } catch {
          return;
        }
        for (const status of new Set([...CONNECTION_STATUSES, ...Object.keys(counts)])) {
          this.set({ status }, counts[status] ?? 0);
        }
      },
    }),
    refreshes: new Counter({
      name: 'okta_connect_refresh_total',
      help: 'Token refreshes by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    flowDuration: new Histogram({
      name: 'okta_connect_flow_duration_seconds',
      help: 'Duration of flows and HTTP routes',
      labelNames: ['flow'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    slackErrors: new Counter({
      name: 'okta_connect_slack_errors_total',
      help: 'Slack Web API errors by code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    oktaErrors: new Counter({
      name: 'okta_connect_okta_errors_total',
      help: 'Okta errors by code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    apiRequests: new Counter({
      name: 'okta_connect_api_requests_total',
      help: 'Connection API requests by key id and outcome',
      // Key ids, not names or values: bounded by the keys that exist, and harmless to show.
      labelNames: ['key', 'outcome'] as const,
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: 'okta_connect_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['route', 'status'] as const,
      registers: [registry],
    }),
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
