import { z } from 'zod';
import { BotError } from '../errors.ts';
import { bearerGet, parseInsufficientScope } from './managementApi.ts';
import type { OktaOrgs } from './oktaOrgs.ts';

const claims = z
  .object({
    sub: z.string().min(1),
    preferred_username: z.string().optional(),
    email: z.string().optional(),
  })
  .loose();

export type UserinfoAnswer =
  | { ok: true; sub: string; login: string | null }
  | { ok: false; code: 'invalid_token'; status: 401 }
  | { ok: false; code: 'insufficient_scope'; scope: string | null; status: 403 }
  | { ok: false; code: 'other'; status: number };

/**
 * `GET /oauth2/v1/userinfo` at the org authorization server: the cheapest call that
 * proves an access token is alive, and says who it acts for. It is not under `/api/v1`,
 * so it is not an `oktaGet`. Network errors, timeouts, 5xx and 429 throw a retryable
 * `BotError`; Okta's refusals come back as values.
 */
export async function fetchUserinfo(
  orgs: OktaOrgs,
  domain: string,
  accessToken: string,
): Promise<UserinfoAnswer> {
  const response = await bearerGet(orgs, domain, '/oauth2/v1/userinfo', accessToken);
  if (response.status === 401) {
    await response.body?.cancel();
    return { ok: false, code: 'invalid_token', status: 401 };
  }
  if (response.status === 403) {
    await response.body?.cancel();
    const challenge = parseInsufficientScope(response.headers.get('www-authenticate'));
    if (challenge.insufficient) {
      return { ok: false, code: 'insufficient_scope', scope: challenge.scope, status: 403 };
    }
    return { ok: false, code: 'other', status: 403 };
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { ok: false, code: 'other', status: response.status };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw new BotError('okta_bad_response', 'userinfo answered with something other than JSON', {
      cause: error,
    });
  }
  const parsed = claims.safeParse(body);
  if (!parsed.success) {
    throw new BotError('okta_bad_response', 'userinfo answered without a subject');
  }
  const { sub, preferred_username: username, email } = parsed.data;
  return { ok: true, sub, login: username ?? email ?? null };
}
