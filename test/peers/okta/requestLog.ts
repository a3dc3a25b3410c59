/** Every request the peer received, for assertions such as "refreshed exactly once". */

export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Peer clock, epoch ms. */
  at: number;
  /** The answer's status; 0 while unanswered or when the connection was dropped. */
  status: number;
}
