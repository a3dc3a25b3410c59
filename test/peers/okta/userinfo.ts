/** GET|POST /oauth2/v1/userinfo: the signed-in user's claims, filtered by the token's scopes. */
import { bearerRecord, sendInvalidToken } from './bearer.ts';
import type { PeerCore } from './core.ts';
import { type Exchange, sendEmpty, sendJson } from './http.ts';

export function handleUserinfo(core: PeerCore, { req, res }: Exchange): void {
  const record = bearerRecord(core.state, req);
  if (!record) {
    sendInvalidToken(res);
    return;
  }
  if (!record.scopes.includes('openid')) {
    sendEmpty(res, 403, {
      'www-authenticate':
        'Bearer error="insufficient_scope", error_description="The access token must provide access to at least one of these scopes - profile, email, address or phone"',
    });
    return;
  }
  const user = core.state.requireUser(record.authorization.userId);
  const claims: Record<string, unknown> = { sub: user.id };
  if (record.scopes.includes('profile')) {
    Object.assign(claims, {
      name: `${user.firstName} ${user.lastName}`,
      preferred_username: user.login,
      given_name: user.firstName,
      family_name: user.lastName,
      locale: 'en_US',
      zoneinfo: 'America/Los_Angeles',
      updated_at: Math.floor(user.created / 1000),
    });
  }
  if (record.scopes.includes('email'))
    Object.assign(claims, { email: user.email, email_verified: true });
  sendJson(res, 200, claims);
}
