import { BotError } from '../errors.ts';
import { mapOktaError } from './mapOktaError.ts';
import type { OktaOrgs } from './oktaOrgs.ts';

/**
 * Longer than the bot's own Management API reads: a tool may list a few hundred users or
 * a page of System Log, which Okta can take several seconds to produce.
 */
const TIMEOUT_MS = 30_000;

export interface ManagementCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `/api/v1/…`, already checked and percent-encoded. */
  path: string;
  /** `''` or `?…`, passed on as received. */
  search: string;
  accept: string | null;
  contentType: string | null;
  body: Buffer | null;
}

/**
 * One Management API call with the connection's bearer token, for the connection API's
 * proxy. Okta's answer comes back whatever its status (the tool reads it); only a call
 * that never got an answer throws, as a retryable `BotError`. The URL is built from the
 * org's origin and checked again, so that nothing but `/api/v1/` of that org ever sees
 * the token.
 */
export async function forwardManagementCall(
  orgs: OktaOrgs,
  domain: string,
  accessToken: string,
  call: ManagementCall,
): Promise<Response> {
  const origin = new URL(orgs.origin(domain)).origin;
  const url = new URL(`${call.path}${call.search}`, origin);
  if (url.origin !== origin || url.pathname !== call.path || !call.path.startsWith('/api/v1/')) {
    throw new BotError('bad_path', 'Only /api/v1/ paths of the org are forwarded');
  }
  const headers: Record<string, string> = {
    Authorization: `Bearer ${accessToken}`,
    Accept: call.accept ?? 'application/json',
  };
  if (call.contentType) headers['Content-Type'] = call.contentType;
  let response: Response;
  try {
    response = await fetch(url, {
      method: call.method,
      headers,
      ...(call.body && call.body.length > 0 ? { body: new Uint8Array(call.body) } : {}),
      signal: AbortSignal.timeout(TIMEOUT_MS),
      // A redirect would carry the bearer token somewhere else.
      redirect: 'manual',
    });
  } catch (error) {
    throw mapOktaError(error);
  }
  orgs.observe(domain, response);
  return response;
}
