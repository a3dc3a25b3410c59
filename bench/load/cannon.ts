import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { serveCommands } from '../lib/ipc.ts';
import { latencyOf } from '../lib/stats.ts';

/**
 * The load generator, in a process of its own: autocannon's programmatic API with the
 * pre-signed requests it is given. Latencies are taken from each response as autocannon
 * times it (high-resolution), since its own histogram rounds to whole milliseconds.
 */

/** The slice of autocannon 8's untyped API used here. */
interface CannonRequest {
  method: 'POST' | 'GET';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

interface CannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  requests: { total: number };
}

type Cannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests: CannonRequest[];
  timeout: number;
}) => EventEmitter & PromiseLike<CannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

export interface LoadSpec {
  url: string;
  requests: CannonRequest[];
  connections: number;
  seconds: number;
  warmupSeconds: number;
}

export interface LoadResult {
  rps: number;
  /** Requests completed in the warm-up and the measured run together. */
  completed: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const options = {
    url: spec.url,
    connections: spec.connections,
    requests: spec.requests,
    timeout: 10,
  };
  const warmup =
    spec.warmupSeconds > 0 ? await autocannon({ ...options, duration: spec.warmupSeconds }) : null;
  const latencies: number[] = [];
  const instance = autocannon({ ...options, duration: spec.seconds });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await instance;
  return {
    rps: Math.round(latencies.length / result.duration),
    completed: (warmup?.requests.total ?? 0) + result.requests.total,
    ...latencyOf(latencies),
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

serveCommands({}, { run });
