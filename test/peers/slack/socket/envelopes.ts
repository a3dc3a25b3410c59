import { randomBytes } from 'node:crypto';
import type { SlackRequest } from '../requests/signing.ts';

/** The three kinds of delivery Slack makes over a Socket Mode connection. */
export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** One message Slack sends down the socket; the app must ack its `envelope_id`. */
export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  /** Events API deliveries only: 0 first, then 1, 2, 3 for Slack's retries. */
  retry_attempt?: number;
  retry_reason?: string;
}

/** What the app sent back for an envelope: `payload` is the answer (`{}` or absent: none). */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

/**
 * The Socket Mode envelope for a request built for HTTP (`slashCommand`, `viewSubmission`,
 * `blockActions`, `eventCallback` …): the same payload, as an object instead of a signed
 * body. Slack accepts a response payload for commands and view submissions only.
 */
export function envelopeFor(
  request: SlackRequest,
  options: { retryAttempt?: number; retryReason?: string } = {},
): Envelope {
  const envelope_id = randomBytes(16).toString('hex');
  const type = (request.headers['Content-Type'] ?? '').split(';')[0];
  if (type === 'application/json') {
    return {
      envelope_id,
      type: 'events_api',
      payload: JSON.parse(request.body) as Record<string, unknown>,
      accepts_response_payload: false,
      retry_attempt: options.retryAttempt ?? 0,
      retry_reason: options.retryReason ?? '',
    };
  }
  const fields = Object.fromEntries(new URLSearchParams(request.body));
  if (fields.payload !== undefined) {
    const payload = JSON.parse(fields.payload) as Record<string, unknown>;
    return {
      envelope_id,
      type: 'interactive',
      payload,
      accepts_response_payload: payload.type === 'view_submission',
    };
  }
  return { envelope_id, type: 'slash_commands', payload: fields, accepts_response_payload: true };
}
