import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_OKTA_SCOPES, type OktaPeer } from './index.ts';
import { CLIENT_ID, callbackParams, codeFlow, getAuthorize, startOrg } from './testkit.ts';

describe("Okta peer scope rules at /authorize (Okta's org authorization server)", () => {
  let okta: OktaPeer | undefined;
  afterEach(() => okta?.close());

  async function org(options?: Parameters<typeof startOrg>[0]) {
    const started = await startOrg(options);
    okta = started.okta;
    started.okta.autoSignIn(started.userId);
    return started;
  }

  it('grants OIDC scopes and granted okta.* scopes, and silently drops the okta.* scopes the app lacks', async () => {
    const { okta, userId } = await org({ app: { grantedScopes: ['okta.users.read'] } });
    const tokens = await codeFlow(okta, userId, {
      scope:
        'openid profile email address phone groups offline_access okta.users.read okta.logs.read okta.groups.manage',
    });
    expect(tokens.scope).toBe(
      'openid profile email address phone groups offline_access okta.users.read',
    );
    const payload = JSON.parse(
      Buffer.from(tokens.access_token.split('.')[1] ?? '', 'base64url').toString(),
    );
    expect(payload.scp).toEqual(tokens.scope.split(' '));
  });

  it('redirects consent_required, with the state, when none of the requested okta.* scopes is granted', async () => {
    const { okta } = await org({ app: { grantedScopes: ['okta.users.read'] } });
    const params = callbackParams(
      await getAuthorize(okta, { scope: 'openid offline_access okta.logs.read okta.groups.read' }),
    );
    expect(params.get('error')).toBe('consent_required');
    expect(params.get('error_description')).toBe(
      'You are not allowed any of the requested scopes.',
    );
    expect(params.get('state')).toBe('state-123');
  });

  it('redirects invalid_scope for a name that is neither OIDC nor a known Okta scope', async () => {
    const { okta } = await org();
    for (const scope of ['openid okta.unicorns.read', 'openid custom.scope']) {
      const params = callbackParams(await getAuthorize(okta, { scope }));
      expect(params.get('error')).toBe('invalid_scope');
      expect(params.get('error_description')).toBe(
        'The requested scope is invalid, unknown, or malformed.',
      );
      expect(params.get('state')).toBe('state-123');
    }
  });

  it('accepts names added through the knownScopes option', async () => {
    const { okta, userId } = await org({
      peer: { knownScopes: [...DEFAULT_OKTA_SCOPES, 'okta.unicorns.read'] },
      app: { grantedScopes: ['okta.unicorns.read'] },
    });
    const tokens = await codeFlow(okta, userId, { scope: 'openid okta.unicorns.read' });
    expect(tokens.scope).toBe('openid okta.unicorns.read');
  });

  it('knows the real Okta API scope names by default', () => {
    for (const resource of [
      'users',
      'groups',
      'apps',
      'roles',
      'appGrants',
      'policies',
      'factors',
      'schemas',
      'eventHooks',
      'authorizationServers',
      'idps',
    ]) {
      expect(DEFAULT_OKTA_SCOPES).toContain(`okta.${resource}.read`);
      expect(DEFAULT_OKTA_SCOPES).toContain(`okta.${resource}.manage`);
    }
    expect(DEFAULT_OKTA_SCOPES).toContain('okta.logs.read');
  });

  it('redirects invalid_scope when no scope is requested, or OIDC scopes come without openid', async () => {
    const { okta } = await org();
    const none = callbackParams(await getAuthorize(okta, { scope: null }));
    expect(none.get('error')).toBe('invalid_scope');
    const noOpenid = callbackParams(await getAuthorize(okta, { scope: 'profile okta.users.read' }));
    expect(noOpenid.get('error_description')).toBe(
      "Requests for ID tokens or access tokens with OpenID scopes require the 'openid' scope.",
    );
  });

  it('redirects access_denied when the user is not assigned to the app', async () => {
    const { okta } = await org({ user: { assignedTo: [] } });
    const params = callbackParams(await getAuthorize(okta));
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('error_description')).toBe('User is not assigned to the client application.');
    expect(params.get('state')).toBe('state-123');
  });

  it('applies a change to the app grants at the next authorization', async () => {
    const { okta, userId } = await org({ app: { grantedScopes: ['okta.users.read'] } });
    const before = await codeFlow(okta, userId, { scope: 'openid okta.users.read okta.logs.read' });
    okta.updateApp(CLIENT_ID, { grantedScopes: ['okta.users.read', 'okta.logs.read'] });
    const after = await codeFlow(okta, userId, { scope: 'openid okta.users.read okta.logs.read' });
    expect(before.scope).toBe('openid okta.users.read');
    expect(after.scope).toBe('openid okta.users.read okta.logs.read');
  });
});
