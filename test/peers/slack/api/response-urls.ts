import type { Clock } from './clock.ts';
import type { IdFactory } from './ids.ts';

/** Slack: a response_url takes up to 5 responses within 30 minutes. */
export const RESPONSE_URL_USES = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

export interface ResponseUrlPost {
  url: string;
  /** The JSON body the bot sent (`respond()` sends `{ text, blocks, response_type, … }`). */
  body: unknown;
  at: number;
  /** What the stand-in answered. */
  status: number;
}

interface Issued {
  issuedAt: number;
  uses: number;
}

/** response_url endpoints served by the stand-in, so `respond()` can be observed. */
export class ResponseUrls {
  private readonly issued = new Map<string, Issued>();
  readonly posts: ResponseUrlPost[] = [];
  /** Told about every post, with how many there have been. */
  onPost: ((post: ResponseUrlPost, count: number) => void) | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly ids: IdFactory,
  ) {}

  /** Returns the path part; the peer prefixes its own origin. */
  issue(): string {
    const path = `/hooks/response/${this.ids.opaque()}`;
    this.issued.set(path, { issuedAt: this.clock.now(), uses: 0 });
    return path;
  }

  /** Records a post and answers the way the hooks endpoint does (404 once spent). */
  receive(path: string, url: string, body: unknown): { status: number; text: string } {
    const entry = this.issued.get(path);
    const now = this.clock.now();
    let answer = { status: 200, text: 'ok' };
    if (!entry) answer = { status: 404, text: 'no_service' };
    else if (now - entry.issuedAt >= RESPONSE_URL_LIFETIME_MS)
      answer = { status: 404, text: 'expired_url' };
    else if (entry.uses >= RESPONSE_URL_USES) answer = { status: 404, text: 'used_url' };
    else entry.uses += 1;
    const post = { url, body, at: now, status: answer.status };
    this.posts.push(post);
    this.onPost?.(post, this.posts.length);
    return answer;
  }
}
