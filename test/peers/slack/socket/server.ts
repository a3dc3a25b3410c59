import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { DEFAULT_APP_ID } from '../requests/identity.ts';
import type { SlackHttpResponse, SlackRequest } from '../requests/signing.ts';
import { type Envelope, envelopeFor, type SocketAck } from './envelopes.ts';

export interface SocketModeOptions {
  /** Named in `hello` and in the URLs. Default `A0OKTACONN`. */
  appId?: string;
  /** How often the stand-in pings each connection, as Slack does. Default 10 s. */
  pingIntervalMs?: number;
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Slack's side of a Socket Mode connection, on 127.0.0.1: `url()` is what
 * `apps.connections.open` answers (a single-use ticket, as Slack's are); on connect the
 * stand-in says `hello`, then `deliver` sends an envelope to the newest connection and
 * resolves with the app's ack. Every envelope and ack is recorded.
 */
export class SocketModeStandIn {
  private readonly open = new Set<WebSocket>();
  private readonly pending = new Map<string, Waiter<SocketAck>>();
  private readonly delivered: Envelope[] = [];
  private readonly acked: SocketAck[] = [];

  constructor(
    private readonly server: WebSocketServer,
    private readonly tickets: Set<string>,
    readonly origin: string,
    private readonly appId: string,
    pingIntervalMs: number,
  ) {
    server.on('connection', (socket) => this.accept(socket, pingIntervalMs));
  }

  /** A fresh `ws://` URL with a single-use ticket: the `url` of `apps.connections.open`. */
  url(): string {
    const ticket = randomBytes(12).toString('hex');
    this.tickets.add(ticket);
    return `${this.origin}/link/?ticket=${ticket}&app_id=${this.appId}`;
  }

  /** Connections open now. */
  connections(): number {
    return this.open.size;
  }

  /** Sends `envelope` to the newest connection; resolves with the app's ack. */
  deliver(envelope: Envelope, timeoutMs = 5000): Promise<SocketAck> {
    const socket = [...this.open].at(-1);
    if (!socket) return Promise.reject(new Error('no app is connected over Socket Mode'));
    return new Promise((resolve, reject) => {
      this.pending.set(envelope.envelope_id, {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.pending.delete(envelope.envelope_id);
          reject(
            new Error(`no ack for ${envelope.type} ${envelope.envelope_id} in ${timeoutMs} ms`),
          );
        }, timeoutMs),
      });
      this.delivered.push(envelope);
      socket.send(JSON.stringify(envelope));
    });
  }

  /**
   * Delivers a request built for HTTP (`slashCommand(…)`, `viewSubmission(…)`) as its
   * envelope, and answers the way the HTTP receiver would: 200 with the ack's payload as
   * the body, empty when the app acked without one. `slack.applyViewResponse` takes it.
   */
  async send(request: SlackRequest): Promise<SlackHttpResponse> {
    const ack = await this.deliver(envelopeFor(request));
    const payload = ack.payload ?? {};
    const empty = Object.keys(payload).length === 0;
    return {
      status: 200,
      headers: empty ? {} : { 'content-type': 'application/json' },
      text: empty ? '' : JSON.stringify(payload),
      body: empty ? undefined : payload,
    };
  }

  envelopes(): Envelope[] {
    return [...this.delivered];
  }

  acks(): SocketAck[] {
    return [...this.acked];
  }

  /**
   * Closes every connection the way Slack does (close frame 1001, going away), drops
   * those that do not answer within `graceMs`, and stops listening.
   */
  async close(graceMs = 1000): Promise<void> {
    for (const waiter of this.pending.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('the Socket Mode stand-in closed'));
    }
    this.pending.clear();
    const closed = [...this.open].map(
      (socket) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => socket.terminate(), graceMs);
          socket.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          socket.close(1001, 'going away');
        }),
    );
    await Promise.all(closed);
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  private accept(socket: WebSocket, pingIntervalMs: number): void {
    this.open.add(socket);
    const pinger = setInterval(() => socket.ping(), pingIntervalMs).unref();
    socket.on('close', () => {
      clearInterval(pinger);
      this.open.delete(socket);
    });
    socket.on('message', (data) => this.receive(String(data)));
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.open.size,
        debug_info: { host: 'socket-mode-stand-in', approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
  }

  private receive(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    const ack = message as Partial<SocketAck>;
    if (typeof ack.envelope_id !== 'string') return;
    const recorded: SocketAck = {
      envelope_id: ack.envelope_id,
      ...(ack.payload !== undefined ? { payload: ack.payload } : {}),
    };
    this.acked.push(recorded);
    const waiter = this.pending.get(ack.envelope_id);
    if (!waiter) return;
    this.pending.delete(ack.envelope_id);
    clearTimeout(waiter.timer);
    waiter.resolve(recorded);
  }
}

export async function startSocketModeStandIn(
  options: SocketModeOptions = {},
): Promise<SocketModeStandIn> {
  const tickets = new Set<string>();
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    // A ticket opens one connection, once, like the URLs Slack hands out.
    verifyClient: ({ req }: { req: IncomingMessage }) => {
      const ticket = new URL(req.url ?? '/', 'ws://127.0.0.1').searchParams.get('ticket');
      return ticket !== null && tickets.delete(ticket);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return new SocketModeStandIn(
    server,
    tickets,
    `ws://127.0.0.1:${port}`,
    options.appId ?? DEFAULT_APP_ID,
    options.pingIntervalMs ?? 10_000,
  );
}
