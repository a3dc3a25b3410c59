import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';

/**
 * A round-robin HTTP load balancer in front of the replicas, as a team would put one
 * (nginx, an ALB, a Kubernetes Service): each incoming request goes to the next replica
 * in turn, no sticky sessions. It records which replica served each request, so a test
 * can show that a journey really crossed replicas.
 *
 * Passive health check, as real balancers do it (HAProxy `retry-on conn-failure
 * empty-response`; nginx `proxy_next_upstream error` for a refused connection, and for a
 * POST that was already sent only with `non_idempotent`): a request is tried on the next
 * replica only when the connection to this one was refused, or reset before any byte of
 * an answer came back (a kept-alive connection the replica closed as the request went
 * out). A replica that answered anything, a 503 included, is not second-guessed: its
 * answer is the client's. A replica that does not accept connections (stopped, killed,
 * starting) is thereby skipped for that request, and tried again on its next turn.
 */

/** One try of a request on one replica: `error` is set when the try failed and was passed on. */
export interface Attempt {
  replica: number;
  error?: string;
}

export interface Served {
  method: string;
  /** The path without the query. */
  path: string;
  /** The replica whose answer the client got; null when none answered (502). */
  replica: number | null;
  status: number;
  attempts: Attempt[];
}

export interface Balancer {
  readonly port: number;
  /** `http://127.0.0.1:PORT`: every bot's PUBLIC_URL. */
  readonly url: string;
  /** Every request received, in order of arrival (filled in when it is answered). */
  readonly served: readonly Served[];
  /** The replica the next request will be offered to first. */
  nextReplica(): number;
  close(): Promise<void>;
}

/** Errors that prove the replica never answered: the request can go elsewhere. */
const NOT_ANSWERED = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

/** Headers about one hop (client to balancer, balancer to replica), not passed on. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

function endToEnd(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())),
  );
}

/** Starts the balancer on 127.0.0.1 in front of the replicas listening on `ports` (by index). */
export async function startBalancer(ports: readonly number[]): Promise<Balancer> {
  if (ports.length === 0) throw new Error('a balancer needs replicas');
  // Kept-alive connections to the replicas, as real balancers pool them: a replica
  // that stops must also end those cleanly (it answers with Connection: close).
  const agent = new Agent({ keepAlive: true });
  const served: Served[] = [];
  let turn = 0;

  /** One try on `replica`: resolves true once its answer is being relayed, false to pass it on. */
  const tryOn = (
    replica: number,
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse,
    record: Served,
  ) =>
    new Promise<boolean>((resolve) => {
      const upstream = request({
        host: '127.0.0.1',
        port: ports[replica],
        method: req.method,
        path: req.url,
        headers: { ...endToEnd(req.headers), 'content-length': String(body.length) },
        agent,
      });
      let answered = false;
      upstream.once('response', (answer) => {
        answered = true;
        record.replica = replica;
        record.status = answer.statusCode ?? 0;
        record.attempts.push({ replica });
        res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
        answer.pipe(res);
        // An answer cut off halfway cannot be retried: the client sees the cut.
        answer.once('error', () => res.destroy());
        answer.once('aborted', () => res.destroy());
        resolve(true);
      });
      upstream.once('error', (error: NodeJS.ErrnoException) => {
        if (answered) return;
        record.attempts.push({ replica, error: error.code ?? error.message });
        if (NOT_ANSWERED.has(error.code ?? '')) return resolve(false);
        // Anything else (a timeout, a broken request): not safe to send twice.
        res.destroy();
        resolve(true);
      });
      upstream.end(body);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const first = turn % ports.length;
    turn += 1;
    const record: Served = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0] ?? '/',
      replica: null,
      status: 0,
      attempts: [],
    };
    served.push(record);
    // Read the whole request first, so it can be sent again to another replica.
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    for (let offset = 0; offset < ports.length; offset += 1) {
      if (await tryOn((first + offset) % ports.length, req, body, res, record)) return;
    }
    record.status = 502;
    res.writeHead(502, { 'Content-Type': 'text/plain' }).end('no replica answered');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    served,
    nextReplica: () => turn % ports.length,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      agent.destroy();
      await closed;
    },
  };
}
