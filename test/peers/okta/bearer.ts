/** Bearer access tokens presented to /userinfo and the Management API. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendEmpty } from './http.ts';
import type { AccessTokenRecord } from './model.ts';
import type { PeerState } from './state.ts';

export function bearerRecord(
  state: PeerState,
  req: IncomingMessage,
): AccessTokenRecord | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1] === undefined ? undefined : state.activeAccessToken(match[1]);
}

/** Okta's answer to a missing, unknown, expired or revoked access token: 401, empty body. */
export function sendInvalidToken(res: ServerResponse): void {
  sendEmpty(res, 401, {
    'www-authenticate':
      'Bearer error="invalid_token", error_description="The access token is invalid"',
  });
}
