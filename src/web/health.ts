import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Registry } from 'prom-client';
import { sendJson } from './respond.ts';

export interface HealthProbe {
  database(): Promise<{ ok: boolean; migrations?: number }>;
  scheduler(): boolean;
  metrics(): Registry;
}

function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/**
 * A probe must answer while the database does not (a PostgreSQL server restarting, a
 * blocked network): after this long the database counts as down for this answer.
 */
const DATABASE_PROBE_MS = 2_000;

async function databaseState(probe: HealthProbe): Promise<{ ok: boolean; migrations?: number }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ ok: false; error: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: 'no answer in time' }), DATABASE_PROBE_MS);
  });
  try {
    return await Promise.race([probe.database(), late]);
  } catch {
    return { ok: false };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /healthz`: the process answers (with the database status, as the foundation issue
 * asks). `GET /readyz`: the database is open and migrated and the health sweep is
 * scheduled — 503 otherwise, so a load balancer sends nothing to a bot that cannot work.
 * `GET /metrics`: Prometheus text.
 */
export function healthRoutes(probe: HealthProbe): CustomRoute[] {
  const healthz = async (_req: IncomingMessage, res: ServerResponse) => {
    sendJson(res, 200, { status: 'ok', database: await databaseState(probe) });
  };
  const readyz = async (_req: IncomingMessage, res: ServerResponse) => {
    const database = await databaseState(probe);
    const scheduler = safely(() => probe.scheduler(), false);
    const ready = database.ok && (database.migrations ?? 0) > 0 && scheduler;
    sendJson(res, ready ? 200 : 503, {
      status: ready ? 'ready' : 'not_ready',
      database,
      scheduler,
    });
  };
  const metrics = (_req: IncomingMessage, res: ServerResponse) => {
    const registry = probe.metrics();
    registry
      .metrics()
      .then((text) => {
        res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' });
        res.end(text);
      })
      .catch(() => {
        res.writeHead(500).end();
      });
  };
  return [
    { path: '/healthz', method: ['GET'], handler: healthz },
    { path: '/readyz', method: ['GET'], handler: readyz },
    { path: '/metrics', method: ['GET'], handler: metrics },
  ];
}
