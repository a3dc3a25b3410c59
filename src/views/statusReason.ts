import type { Connection } from '../db/connectionModel.ts';
import { type AdminMessage, type FailureCode, failureMessage } from './messages.ts';

/** Short reasons for the codes that only the sweep and scope edits store. */
const SWEEP_REASONS: Record<string, string> = {
  invalid_grant: 'Okta refused the refresh token (revoked, expired or reused)',
  invalid_client: 'Okta refused the client credentials (secret or key changed, or app removed)',
  unauthorized_client: 'the app no longer allows the Refresh Token grant type',
  scopes_changed: 'scope change pending: reauthorize to apply it',
};

/**
 * Why a connection is in its status, in a few words: the stored text when there is one,
 * else the words for its code (the same words the DMs and pages use).
 */
export function statusReason(
  connection: Pick<Connection, 'statusCode' | 'statusText'>,
): string | null {
  if (connection.statusText) return connection.statusText;
  const code = connection.statusCode;
  if (!code) return null;
  if (SWEEP_REASONS[code]) return SWEEP_REASONS[code];
  // Stored codes come from this codebase; an unknown one (an older version's) shows as is.
  const message = failureMessage(code as FailureCode) as AdminMessage | undefined;
  return message?.title ?? code;
}
