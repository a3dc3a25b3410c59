import type { Child } from '../lib/children.ts';
import { median, round, rssOf } from '../lib/stats.ts';
import type { LoadResult, LoadSpec } from '../load/cannon.ts';
import {
  type SignedRequest,
  sendOnce,
  signedCommands,
  signedDetailsSubmissions,
} from './slackRequests.ts';

/** The throughput and latency of one server at one concurrency. */
export interface Point {
  rps: number;
  p50: number;
  p99: number;
  /**
   * CPU time the server process spent per request (µs), background work after the ack
   * included: less disturbed by other load on the machine than throughput is.
   */
  cpuUsPerRequest: number;
  /** Answers other than 2xx, connection errors and timeouts: 0 in a valid run. */
  failures: number;
}

export interface Comparison {
  workload: 'slash_command' | 'modal_submission';
  concurrency: number;
  ours: Point;
  bare: Point;
  raw?: Point;
  throughputRatio: number;
  p99Ratio: number;
  /** ours ÷ bare CPU time per request. */
  cpuRatio: number;
}

/** Resident memory of the bot and of bare Bolt, both just started and idle, read in the same run. */
export interface IdleRss {
  oursBytes: number;
  bareBytes: number;
  /** ours ÷ bare (issue 12 §3: at most 1.3). */
  ratio: number;
}

/**
 * The idle RSS of both servers before any load: each is built as `npm run build` builds the
 * bot and run with plain node (as `npm start` runs it), has answered nothing yet but its
 * start-up checks, and has been left alone for `idleMs`. Read three times, the median kept.
 */
export async function measureIdleRss(servers: Servers, idleMs = 2000): Promise<IdleRss> {
  const ours: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, idleMs / 3));
    ours.push(rssOf(servers.ours.process.pid));
    bare.push(rssOf(servers.bare.process.pid));
  }
  const result = { oursBytes: median(ours), bareBytes: median(bare) };
  return { ...result, ratio: round(result.oursBytes / result.bareBytes, 3) };
}

export interface Servers {
  ours: { url: string; process: Child<unknown>; slack: Child<{ apiUrl: string }> };
  bare: { url: string; process: Child<unknown>; slack: Child<{ apiUrl: string }> };
  raw: { url: string; process: Child<unknown> };
}

type Kind = 'ours' | 'bare' | 'raw';

export interface CompareOptions {
  workloads: readonly Comparison['workload'][];
  concurrencies: readonly number[];
  seconds: number;
  warmupSeconds: number;
  log: (line: string) => void;
}

interface Workload {
  name: Comparison['workload'];
  /** Fresh requests, signed now. */
  sign: () => SignedRequest[];
  /** What a correct answer of ours and of bare Bolt contains. */
  expect: (text: string) => boolean;
  /** Whether the handler calls views.open after acking (checked on the stand-in). */
  opensView: boolean;
}

const WORKLOADS: Record<Comparison['workload'], Workload> = {
  slash_command: {
    name: 'slash_command',
    sign: () => signedCommands(512),
    expect: (text) => text === '',
    opensView: true,
  },
  modal_submission: {
    name: 'modal_submission',
    sign: () => signedDetailsSubmissions(256),
    expect: (text) => text.includes('"response_action":"push"'),
    opensView: false,
  },
};

/** One request to each server, checked, so that a broken setup fails before the load. */
async function smoke(servers: Servers, workload: Workload): Promise<void> {
  const [request] = workload.sign();
  if (!request) throw new Error('no request');
  for (const kind of ['ours', 'bare'] as const) {
    const answer = await sendOnce(servers[kind].url, request);
    if (answer.status !== 200 || !workload.expect(answer.text)) {
      throw new Error(`${kind} answered ${answer.status} ${answer.text.slice(0, 300)}`);
    }
    if (!workload.opensView) continue;
    // The modal opens after the ack: give it a moment, then ask the stand-in.
    for (let i = 0; i < 50; i += 1) {
      const calls = await servers[kind].slack.call<{
        count: number;
        lastOk: boolean | null;
        lastError: string | null;
      }>('calls', { method: 'views.open' });
      if (calls.lastOk === false) throw new Error(`${kind}: views.open failed: ${calls.lastError}`);
      if (calls.count > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const raw = await sendOnce(servers.raw.url, request);
  if (raw.status !== 200) throw new Error(`raw answered ${raw.status}`);
}

/** One run of autocannon against one server, with the server's CPU time around it. */
async function measure(
  cannon: Child<unknown>,
  server: Servers[Kind],
  spec: LoadSpec,
): Promise<Point> {
  const cpuBefore = await server.process.call<number>('cpu');
  const result = await cannon.call<LoadResult>('run', spec);
  // Let the work that follows the last acks (views.open) finish before reading the CPU.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const cpuAfter = await server.process.call<number>('cpu');
  return {
    rps: result.rps,
    p50: result.p50,
    p99: result.p99,
    cpuUsPerRequest: Math.round((cpuAfter - cpuBefore) / Math.max(1, result.completed)),
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * Each concurrency runs ours and bare Bolt twice, in alternating order, and raw node:http
 * once; a server's best round counts. Other work on a shared machine only ever slows a
 * round down, so the best of two is the figure least disturbed by it.
 */
const ROUNDS: readonly (readonly Kind[])[] = [
  ['ours', 'bare', 'raw'],
  ['bare', 'ours'],
];

/**
 * Workloads 1 and 2: okta-connect, bare Bolt and raw node:http under the same signed
 * requests, one concurrency at a time, the servers back to back at each so that drift
 * in a noisy machine hits them alike.
 */
export async function compareWithBolt(
  cannon: Child<unknown>,
  servers: Servers,
  options: CompareOptions,
): Promise<Comparison[]> {
  const out: Comparison[] = [];
  for (const workload of options.workloads.map((name) => WORKLOADS[name])) {
    await smoke(servers, workload);
    // Until V8 has compiled the hot paths a server uses up to twice the CPU per request;
    // the first concurrency measured would pay for it.
    for (const kind of ['ours', 'bare'] as const) {
      await cannon.call('run', {
        url: servers[kind].url,
        requests: workload.sign(),
        connections: 16,
        seconds: options.warmupSeconds * 3,
        warmupSeconds: 0,
      } satisfies LoadSpec);
    }
    for (const concurrency of options.concurrencies) {
      const best: Partial<Record<Kind, Point>> = {};
      for (const round of ROUNDS) {
        for (const kind of round) {
          const spec: LoadSpec = {
            url: servers[kind].url,
            requests: workload.sign(),
            connections: concurrency,
            seconds: options.seconds,
            warmupSeconds: options.warmupSeconds,
          };
          const point = await measure(cannon, servers[kind], spec);
          const previous = best[kind];
          if (!previous || point.rps > previous.rps) best[kind] = point;
          options.log(
            `  ${workload.name} c=${concurrency} ${kind}: ${point.rps} req/s, p50 ${point.p50} ms, p99 ${point.p99} ms, ${point.cpuUsPerRequest} µs CPU/request${point.failures ? `, ${point.failures} failures` : ''}`,
          );
        }
      }
      const { ours, bare, raw } = best as Record<Kind, Point>;
      out.push({
        workload: workload.name,
        concurrency,
        ours,
        bare,
        raw,
        throughputRatio: round(ours.rps / bare.rps, 3),
        p99Ratio: round(ours.p99 / bare.p99, 3),
        cpuRatio: round(ours.cpuUsPerRequest / bare.cpuUsPerRequest, 3),
      });
    }
  }
  return out;
}
