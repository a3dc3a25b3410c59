import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OktaPeer } from './index.ts';
import { bearer, CLIENT_ID, codeFlow, LOGIN, readJson, refresh, startOrg } from './testkit.ts';

describe('Okta peer Management API', () => {
  let okta: OktaPeer;
  let userId: string;

  beforeEach(async () => {
    ({ okta, userId } = await startOrg({
      app: {
        grantedScopes: [
          'okta.users.read',
          'okta.users.manage',
          'okta.roles.read',
          'okta.logs.read',
          'okta.appGrants.read',
          'okta.groups.read',
          'okta.apps.read',
        ],
      },
    }));
  });
  afterEach(() => okta.close());

  async function tokenWith(scope: string): Promise<string> {
    return (await codeFlow(okta, userId, { scope })).access_token;
  }
  const get = (path: string, token: string) => fetch(`${okta.origin}${path}`, bearer(token));

  it('returns the signed-in user at /api/v1/users/me with okta.users.read', async () => {
    const response = await get('/api/v1/users/me', await tokenWith('openid okta.users.read'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: userId,
      status: 'ACTIVE',
      profile: { login: LOGIN, email: LOGIN },
    });
  });

  it('lets okta.*.manage stand in for okta.*.read', async () => {
    const response = await get('/api/v1/users/me', await tokenWith('openid okta.users.manage'));
    expect(response.status).toBe(200);
  });

  it('answers 403 with an empty body and a WWW-Authenticate header naming the missing scope', async () => {
    const response = await get(
      '/api/v1/logs?since=2024-01-01T00:00:00Z',
      await tokenWith('openid okta.users.read'),
    );
    expect(response.status).toBe(403);
    expect(await response.text()).toBe('');
    const host = okta.origin.replace('http://', '');
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer authorization_uri="http://${host}/oauth2/v1/authorize", realm="http://${host}", scope="okta.logs.read", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/logs"`,
    );
  });

  it('answers 401 with an invalid_token challenge for a bad or expired bearer', async () => {
    const token = await tokenWith('openid okta.users.read');
    const bad = await get('/api/v1/users/me', 'not-a-token');
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="The access token is invalid"',
    );
    okta.clock.advance(3600_000);
    expect((await get('/api/v1/users/me', token)).status).toBe(401);
  });

  it("lists a user's admin role assignments with okta.roles.read", async () => {
    okta.updateUser(userId, { roles: ['SUPER_ADMIN', 'ORG_ADMIN'] });
    const response = await get(
      `/api/v1/users/${userId}/roles`,
      await tokenWith('openid okta.roles.read'),
    );
    expect(response.status).toBe(200);
    const roles = await readJson<unknown[]>(response);
    expect(roles).toHaveLength(2);
    expect(roles[0]).toEqual({
      id: expect.stringMatching(/^ra1/),
      label: 'Super Administrator',
      type: 'SUPER_ADMIN',
      status: 'ACTIVE',
      created: expect.any(String),
      lastUpdated: expect.any(String),
      assignmentType: 'USER',
      _links: { assignee: { href: `${okta.origin}/api/v1/users/${userId}` } },
    });
  });

  it('answers 403 E0000006 when the signed-in user has no admin role', async () => {
    okta.updateUser(userId, { roles: [] });
    const token = await tokenWith('openid okta.roles.read okta.logs.read okta.users.read');
    for (const path of [`/api/v1/users/${userId}/roles`, '/api/v1/logs', '/api/v1/users']) {
      const response = await get(path, token);
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({
        errorCode: 'E0000006',
        errorSummary: 'You do not have permission to perform the requested action',
        errorLink: 'E0000006',
        errorId: expect.stringMatching(/^oae/),
        errorCauses: [],
      });
    }
    expect((await get('/api/v1/users/me', token)).status).toBe(200);
  });

  it("lists the app's scope grants with okta.appGrants.read", async () => {
    const response = await get(
      `/api/v1/apps/${CLIENT_ID}/grants`,
      await tokenWith('openid okta.appGrants.read'),
    );
    expect(response.status).toBe(200);
    const grants = await readJson<{ scopeId: string }[]>(response);
    expect(grants.map((grant) => grant.scopeId)).toContain('okta.logs.read');
    expect(grants[0]).toMatchObject({
      issuer: okta.issuer,
      clientId: CLIENT_ID,
      source: 'ADMIN',
      status: 'ACTIVE',
    });
  });

  it('lists users with okta.users.read', async () => {
    okta.addUser({ login: 'bob@example.com', password: 'pw' });
    const response = await get('/api/v1/users', await tokenWith('openid okta.users.read'));
    const users = await readJson<{ profile: { login: string } }[]>(response);
    expect(users.map((user) => user.profile.login)).toEqual([LOGIN, 'bob@example.com']);
  });

  it('lists the built-in Everyone group with okta.groups.read', async () => {
    const response = await get(
      '/api/v1/groups?limit=1',
      await tokenWith('openid okta.groups.read'),
    );
    expect(response.status).toBe(200);
    expect(await readJson<unknown[]>(response)).toEqual([
      expect.objectContaining({
        type: 'BUILT_IN',
        profile: expect.objectContaining({ name: 'Everyone' }),
      }),
    ]);
  });

  it('lists OIDC apps, whose id is their client ID, with okta.apps.read', async () => {
    const response = await get('/api/v1/apps?limit=1', await tokenWith('openid okta.apps.read'));
    expect(response.status).toBe(200);
    expect(await readJson<unknown[]>(response)).toEqual([
      expect.objectContaining({
        id: CLIENT_ID,
        signOnMode: 'OPENID_CONNECT',
        credentials: { oauthClient: expect.objectContaining({ client_id: CLIENT_ID }) },
      }),
    ]);
  });

  it('returns System Log events, including refresh token reuse detection', async () => {
    okta.updateApp(CLIENT_ID, { refreshToken: { rotation: 'ROTATE', leewaySeconds: 0 } });
    const tokens = await codeFlow(okta, userId, { scope: 'openid offline_access okta.logs.read' });
    await refresh(okta, tokens.refresh_token ?? '');
    await refresh(okta, tokens.refresh_token ?? '');
    const fresh = await tokenWith('openid okta.logs.read');
    const events = await readJson<{ eventType: string }[]>(await get('/api/v1/logs', fresh));
    expect(events.map((event) => event.eventType)).toEqual([
      'user.session.start',
      'app.oauth2.token.detect_reuse',
      'user.session.start',
    ]);
  });

  it('answers 404 E0000007 for an unknown path or user', async () => {
    const token = await tokenWith('openid okta.users.read okta.roles.read');
    const unknownPath = await get('/api/v1/unicorns', token);
    expect(unknownPath.status).toBe(404);
    expect(await unknownPath.json()).toMatchObject({
      errorCode: 'E0000007',
      errorLink: 'E0000007',
    });
    const unknownUser = await get('/api/v1/users/00uNobody/roles', token);
    expect(unknownUser.status).toBe(404);
  });
});
