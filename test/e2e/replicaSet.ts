import { afterEach } from 'vitest';
import { emptyPostgresDatabase } from '../db/testDatabase.ts';
import { type Harness, type HarnessOptions, startHarness } from './harness.ts';

/**
 * Replicas of the bot on one new PostgreSQL database, sharing the first one's Slack and
 * Okta stand-ins as processes behind a balancer would. Call in a describe block: each
 * call of the function it returns starts `count` bots, and they are closed after each
 * test (the one that owns the stand-ins last).
 */
export function replicaSet(): (count: number, options?: HarnessOptions) => Promise<Harness[]> {
  const started: Harness[] = [];
  afterEach(async () => {
    for (const h of started.splice(0).reverse()) await h.close();
  });
  return async (count, options = {}) => {
    const databaseUrl = await emptyPostgresDatabase();
    const first = await startHarness({ ...options, databaseUrl });
    const replicas = [first];
    started.push(first);
    while (replicas.length < count) {
      const next = await startHarness({ ...options, databaseUrl, peersOf: first });
      replicas.push(next);
      started.push(next);
    }
    return replicas;
  };
}
