import { z } from 'zod';
import { BotError } from '../errors.ts';

/**
 * JSON columns are parsed and checked where they are read: a row written by an older
 * version or by hand fails here with the column named, not deep inside a flow.
 */
function jsonColumn<T extends z.ZodType>(shape: T) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(shape);
}

export const scopeListColumn = jsonColumn(z.array(z.string()));

/** A stored public JWK (`client_public_jwk`, `pending_public_jwk`): an ES256 key with its kid. */
export const publicJwkColumn = jsonColumn(
  z.object({
    kty: z.literal('EC'),
    crv: z.literal('P-256'),
    x: z.string().min(1),
    y: z.string().min(1),
    kid: z.string().min(1),
    alg: z.literal('ES256'),
    use: z.literal('sig'),
  }),
);

export const detailsColumn = jsonColumn(z.record(z.string(), z.unknown()));

export function parseRow<T extends z.ZodType>(schema: T, row: unknown, table: string): z.output<T> {
  const result = schema.safeParse(row);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => issue.path.join('.')).join(', ');
  throw new BotError('db_row_invalid', `A row of ${table} has invalid values in: ${fields}`, {
    cause: result.error,
  });
}

/** SQLite's and PostgreSQL's codes (`23505`) for a UNIQUE violation. */
const UNIQUE_VIOLATION_CODES = new Set(['SQLITE_CONSTRAINT_UNIQUE', '23505']);

/** True when `error` (or a cause of it, as drizzle wraps driver errors) is a UNIQUE violation. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (UNIQUE_VIOLATION_CODES.has(String((e as { code?: unknown }).code))) return true;
  }
  return false;
}
