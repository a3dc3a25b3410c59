import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './respond.ts';

export interface HealthProbe {
  database(): { ok: boolean };
}

/** `GET /healthz`: 200 while the process is alive and its database answers, else 503. */
export function healthHandler(probe: HealthProbe) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    let database: ReturnType<HealthProbe['database']>;
    try {
      database = probe.database();
    } catch {
      database = { ok: false };
    }
    sendJson(res, database.ok ? 200 : 503, { status: database.ok ? 'ok' : 'degraded', database });
  };
}
