import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { BotError } from '../errors.ts';
import { type Clock, systemClock } from './clock.ts';
import { detailsColumn, parseRow } from './rowParsing.ts';
import type { auditEvents } from './schema.ts';
import type { Store } from './store.ts';

export interface AuditInput {
  teamId: string;
  connectionId?: string | null;
  /** A Slack user id, `system`, or `api:<keyId>`. */
  actor: string;
  action: string;
  details?: Record<string, unknown>;
}

export interface AuditEvent {
  id: number;
  teamId: string;
  connectionId: string | null;
  actor: string;
  action: string;
  details: Record<string, unknown>;
  at: number;
}

/** Key fragments that name a secret; keys are compared lower-cased, without `_`/`-`. */
const SECRET_KEY_PARTS = [
  'secret',
  'token',
  'verifier',
  'password',
  'passwd',
  'cookie',
  'credential',
  'apikey',
  'privatekey',
];
/** `code` alone is the OAuth authorization code; `statusCode`, `errorCode` are fine. */
const SECRET_KEYS = new Set(['code', 'authcode', 'authorizationcode']);
/** Values that are tokens whatever their key: a JWT, or a sealed value. */
const SECRET_VALUE = /^(eyJ[\w-]+\.[\w-]+\.|v1\.[0-9a-f]{16}\.)/;

/**
 * Audit rows are kept for good and read by people, so a secret must never reach them.
 * A secret-looking *key* is refused loudly (a bug to fix in the caller). A token-looking
 * *value* is replaced by `[redacted]`: values come from outside (an Okta login, a header,
 * a nickname), and a hostile one must not make an action fail after it happened.
 */
function withoutSecrets(value: unknown, path: string): unknown {
  if (typeof value === 'string') return SECRET_VALUE.test(value) ? '[redacted]' : value;
  if (Array.isArray(value)) return value.map((item, i) => withoutSecrets(item, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    const clean: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const normalized = key.toLowerCase().replace(/[^a-z0-9]/g, '');
      if (SECRET_KEYS.has(normalized) || SECRET_KEY_PARTS.some((p) => normalized.includes(p))) {
        throw new BotError('audit_secret', `Audit detail ${path}.${key} looks like a secret`);
      }
      clean[key] = withoutSecrets(item, `${path}.${key}`);
    }
    return clean;
  }
  return value;
}

const checkedColumns = z.object({ details: detailsColumn });

function toAuditEvent(row: typeof auditEvents.$inferSelect): AuditEvent {
  return { ...row, details: parseRow(checkedColumns, row, 'audit_events').details };
}

export function createAuditRepo(store: Store, clock: Clock = systemClock) {
  const { db } = store;
  const { auditEvents } = store.tables;
  return store.serialize({
    /** Appends one event; returns its id. */
    async record(event: AuditInput): Promise<number> {
      const details = withoutSecrets(event.details ?? {}, 'details');
      const [row] = await db
        .insert(auditEvents)
        .values({
          teamId: event.teamId,
          connectionId: event.connectionId ?? null,
          actor: event.actor,
          action: event.action,
          details: JSON.stringify(details),
          at: clock(),
        })
        .returning({ id: auditEvents.id });
      if (!row) throw new Error('INSERT … RETURNING returned no row');
      return row.id;
    },

    /** The team's events, newest first, optionally for one connection. */
    async list(
      teamId: string,
      options: { connectionId?: string; limit?: number } = {},
    ): Promise<AuditEvent[]> {
      const where = [eq(auditEvents.teamId, teamId)];
      if (options.connectionId !== undefined) {
        where.push(eq(auditEvents.connectionId, options.connectionId));
      }
      const rows = await db
        .select()
        .from(auditEvents)
        .where(and(...where))
        .orderBy(desc(auditEvents.id))
        .limit(options.limit ?? 50);
      return rows.map(toAuditEvent);
    },
  });
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
