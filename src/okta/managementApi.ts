import { z } from 'zod';
import { BotError } from '../errors.ts';
import { fromStatus, mapOktaError } from './mapOktaError.ts';
import type { OktaOrgs } from './oktaOrgs.ts';

const TIMEOUT_MS = 10_000;

export type ManagementAnswer =
  | { ok: true; status: number; body: unknown; headers: Headers }
  | { ok: false; code: 'insufficient_scope'; scope: string | null; status: 403 }
  | { ok: false; code: 'forbidden_by_role'; status: 403; errorCode: string }
  | { ok: false; code: 'invalid_token'; status: 401 }
  | { ok: false; code: 'not_found'; status: 404 }
  | { ok: false; code: 'other'; status: number; errorCode: string | null };

/**
 * Reads the scope Okta names in an Insufficient Scope challenge:
 * `Bearer …, scope="okta.logs.read", error="insufficient_scope", …`.
 */
export function parseInsufficientScope(header: string | null): {
  insufficient: boolean;
  scope: string | null;
} {
  if (!header) return { insufficient: false, scope: null };
  const params = new Map<string, string>();
  for (const match of header.matchAll(/([A-Za-z_]+)="([^"]*)"/g)) {
    if (match[1] && match[2] !== undefined) params.set(match[1].toLowerCase(), match[2]);
  }
  return {
    insufficient: params.get('error') === 'insufficient_scope',
    scope: params.get('scope') ?? null,
  };
}

const oktaErrorBody = z.object({ errorCode: z.string() }).loose();

/**
 * A GET to the org with a bearer token, for calls outside openid-client. Network errors,
 * timeouts, 5xx and 429 throw a retryable `BotError`; any other answer is returned.
 */
export async function bearerGet(
  orgs: OktaOrgs,
  domain: string,
  path: string,
  accessToken: string,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(new URL(path, orgs.origin(domain)), {
      headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'manual',
    });
  } catch (error) {
    throw mapOktaError(error);
  }
  orgs.observe(domain, response);
  if (response.status === 429 || response.status >= 500) {
    await response.body?.cancel();
    throw fromStatus(response);
  }
  return response;
}

/**
 * One Management API GET with the connection's bearer token. Network errors, timeouts,
 * 5xx and 429 throw a retryable `BotError`; Okta's refusals come back as values.
 */
export async function oktaGet(
  orgs: OktaOrgs,
  domain: string,
  accessToken: string,
  path: string,
): Promise<ManagementAnswer> {
  if (!path.startsWith('/api/v1/'))
    throw new BotError('bad_path', 'Only /api/v1/ paths are allowed');
  const response = await bearerGet(orgs, domain, path, accessToken);
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    if (response.ok)
      throw new BotError('okta_bad_response', 'Okta answered with something other than JSON');
  }
  if (response.ok) return { ok: true, status: response.status, body, headers: response.headers };
  const challenge = parseInsufficientScope(response.headers.get('www-authenticate'));
  const errorCode = oktaErrorBody.safeParse(body).data?.errorCode ?? null;
  if (response.status === 403 && challenge.insufficient) {
    return { ok: false, code: 'insufficient_scope', scope: challenge.scope, status: 403 };
  }
  if (response.status === 403)
    return {
      ok: false,
      code: 'forbidden_by_role',
      status: 403,
      errorCode: errorCode ?? 'E0000006',
    };
  if (response.status === 401) return { ok: false, code: 'invalid_token', status: 401 };
  if (response.status === 404) return { ok: false, code: 'not_found', status: 404 };
  return { ok: false, code: 'other', status: response.status, errorCode };
}

const roleList = z.array(z.object({ type: z.string() }).loose());

/** The role types (`SUPER_ADMIN`, …) of an Okta user; needs `okta.roles.read`. */
export async function listUserRoleTypes(
  orgs: OktaOrgs,
  domain: string,
  accessToken: string,
  userId: string,
): Promise<{ ok: true; types: string[] } | { ok: false; code: string }> {
  const answer = await oktaGet(
    orgs,
    domain,
    accessToken,
    `/api/v1/users/${encodeURIComponent(userId)}/roles`,
  );
  if (!answer.ok) return { ok: false, code: answer.code };
  const roles = roleList.safeParse(answer.body);
  return roles.success
    ? { ok: true, types: roles.data.map((role) => role.type) }
    : { ok: false, code: 'bad_response' };
}
