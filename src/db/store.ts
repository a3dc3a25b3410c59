import { AsyncLocalStorage } from 'node:async_hooks';
import type { SQL } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type * as schema from './schema.ts';

/**
 * The query builder that every repository writes against. drizzle has no dialect-neutral
 * builder type, so it is typed as SQLite's; on PostgreSQL the object behind it is a
 * node-postgres database built over schema.pg.ts, whose tables have the same names,
 * columns and row shapes (test/db/schemasMatch.test.ts). Repositories therefore use only
 * what both dialects share: `await` a query (never `.get()`, `.all()`, `.run()`), learn
 * what an UPDATE changed from `.returning()`, and take the tables from `store.tables`.
 */
export type Db = BetterSQLite3Database<typeof schema>;

const TABLE_NAMES = [
  'connections',
  'authRequests',
  'auditEvents',
  'apiKeys',
  'apiKeyConnections',
  'slackDeliveries',
  'orgRateWindows',
  'orgRateClaims',
  'homeViewers',
  'connectionCounts',
] as const;

export type Tables = Pick<typeof schema, (typeof TABLE_NAMES)[number]>;

/**
 * A dialect's schema module as the repositories see it. Both modules export these tables
 * under the same names (test/db/schemasMatch.test.ts); PostgreSQL's are typed as SQLite's,
 * like `Db`.
 */
export function tablesOf(module: Record<(typeof TABLE_NAMES)[number], unknown>): Tables {
  return Object.fromEntries(TABLE_NAMES.map((name) => [name, module[name]])) as unknown as Tables;
}

export type Dialect = 'sqlite' | 'postgres';

/** For `/healthz`, `/readyz` and the start-up log line. Never contains a password. */
export interface StoreStatus {
  ok: boolean;
  dialect: Dialect;
  /** Migrations applied to the database. */
  migrations: number;
  /** SQLite only: `wal` for a file. */
  journalMode?: string;
  /** Why the database does not answer, when it does not. */
  error?: string;
}

export interface Store {
  readonly dialect: Dialect;
  /** Inside `transaction`, the transaction's; elsewhere the database's. */
  readonly db: Db;
  readonly tables: Tables;
  /** How many migrations this open applied (0 when the database was up to date). */
  readonly migrationsApplied: number;
  /**
   * Runs `work` in one transaction. Every repository call made inside it, through any
   * repository of this store, belongs to it: it commits when `work` resolves and rolls
   * back when it throws. A transaction inside a transaction joins it.
   */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Inside `transaction`: makes any other transaction that locks the same row wait until
   * this one ends. PostgreSQL locks the row (`FOR UPDATE`); SQLite's transactions already
   * hold the database's one write lock, so there it does nothing.
   */
  lockRow(table: 'connections' | 'auth_requests', id: string): Promise<void>;
  /** Rows of a query written with drizzle's `sql` (inside `transaction`, in it). */
  all<T>(query: SQL): Promise<T[]>;
  /** A statement without rows. */
  run(query: SQL): Promise<void>;
  /**
   * Wraps a repository's methods so that on SQLite a call from outside an open
   * transaction waits for it to end (see `sqliteTurns`); on PostgreSQL each transaction
   * has its own connection and the repository is returned as it is.
   */
  serialize<R extends object>(repository: R): R;
  status(): Promise<StoreStatus>;
  close(): Promise<void>;
}

/** What a transaction leaves for the calls made inside it. */
export interface TransactionScope<H> {
  handle: H;
  /** Set when the transaction ended: work it started and left running is outside it. */
  ended: boolean;
}

export function transactionScopes<H>() {
  const storage = new AsyncLocalStorage<TransactionScope<H>>();
  return {
    /** The open transaction this call runs in, if any. */
    current(): TransactionScope<H> | undefined {
      const scope = storage.getStore();
      return scope && !scope.ended ? scope : undefined;
    },
    async run<T>(handle: H, work: () => Promise<T>): Promise<T> {
      const scope: TransactionScope<H> = { handle, ended: false };
      try {
        return await storage.run(scope, work);
      } finally {
        scope.ended = true;
      }
    },
  };
}

/**
 * SQLite has one connection per process and runs each statement synchronously, so a
 * transaction is a stretch of time on that connection: between the awaits of its `work`,
 * another request's statement would run inside it, and be rolled back with it. Hence
 * turns: one transaction at a time, and while it is open, calls from outside it wait.
 * Outside a transaction a call goes straight through (no extra tick).
 */
export function sqliteTurns(inTransaction: () => boolean) {
  let open: Promise<void> | null = null;
  /** Resolves once no transaction is open; `null` when none is, or the caller is inside it. */
  const wait = (): Promise<void> | null => (open && !inTransaction() ? open : null);
  return {
    /** Runs `body` as the only transaction; `body` begins and ends it. */
    async exclusive<T>(body: () => Promise<T>): Promise<T> {
      while (open) await open;
      let done = () => {};
      open = new Promise<void>((resolve) => {
        done = resolve;
      });
      try {
        return await body();
      } finally {
        open = null;
        done();
      }
    },
    serialize<R extends object>(repository: R): R {
      const wrapped: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(repository)) {
        if (typeof value !== 'function') {
          wrapped[name] = value;
          continue;
        }
        wrapped[name] = (...args: unknown[]) => {
          // Again after waiting: another transaction may have begun in between.
          const call = (): unknown => {
            const turn = wait();
            return turn ? turn.then(call) : value(...args);
          };
          return call();
        };
      }
      return wrapped as R;
    },
  };
}
