import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPeerClock, type OktaPeer, startOktaPeer } from './index.ts';
import {
  CLIENT_ID,
  codeFlow,
  getAuthorize,
  readJson,
  refresh,
  startOrg,
  type TokenBody,
} from './testkit.ts';

describe('Okta peer inspection helpers', () => {
  let okta: OktaPeer;
  let userId: string;

  beforeEach(async () => {
    ({ okta, userId } = await startOrg());
  });
  afterEach(() => okta.close());

  it('logs each request with method, path, query, peer time and status', async () => {
    const before = okta.clock.now();
    await getAuthorize(okta, { client_id: 'nope' });
    expect(okta.requests.at(-1)).toEqual({
      method: 'GET',
      path: '/oauth2/v1/authorize',
      query: expect.objectContaining({ client_id: 'nope', state: 'state-123' }),
      at: expect.any(Number),
      status: 400,
    });
    expect(okta.requests.at(-1)?.at).toBeGreaterThanOrEqual(before);
    expect(okta.countRequests('/oauth2/v1/authorize')).toBe(1);
    expect(okta.countRequests('/oauth2/v1/authorize', 302)).toBe(0);
  });

  it('moves its clock forward only', () => {
    const start = okta.clock.now();
    okta.clock.advance(90 * 24 * 3600 * 1000);
    expect(okta.clock.now() - start).toBeGreaterThanOrEqual(90 * 24 * 3600 * 1000);
    expect(() => okta.clock.advance(-1)).toThrow(RangeError);
  });

  it('can share a clock with the code under test', async () => {
    const clock = createPeerClock();
    const shared = await startOktaPeer({ clock });
    try {
      expect(shared.clock).toBe(clock);
    } finally {
      await shared.close();
    }
  });

  it('shows each token family with its current and past tokens', async () => {
    okta.updateApp(CLIENT_ID, { refreshToken: { rotation: 'ROTATE' } });
    const tokens = await codeFlow(okta, userId);
    const rotated = await readJson<TokenBody>(await refresh(okta, tokens.refresh_token ?? ''));
    const [family, ...others] = okta.authorizations({ clientId: CLIENT_ID });
    expect(others).toEqual([]);
    expect(family).toMatchObject({
      clientId: CLIENT_ID,
      userId,
      revoked: false,
      refreshToken: rotated.refresh_token,
      refreshTokens: [tokens.refresh_token, rotated.refresh_token],
      accessTokens: [tokens.access_token, rotated.access_token],
    });
    expect(okta.tokenStatus('never-issued')).toBe('unknown');
  });

  it('revokes every token family of a client or a user, like an admin would', async () => {
    const first = await codeFlow(okta, userId);
    const second = await codeFlow(okta, userId);
    expect(okta.revokeTokens({ userId })).toBe(2);
    expect(okta.revokeTokens({ clientId: CLIENT_ID })).toBe(0);
    expect(okta.tokenStatus(first.refresh_token ?? '')).toBe('revoked');
    expect(okta.tokenStatus(second.access_token)).toBe('revoked');
  });

  it("revokes a user's tokens for an app when the user is unassigned from it", async () => {
    const tokens = await codeFlow(okta, userId);
    okta.updateUser(userId, { assignedTo: [] });
    expect(okta.tokenStatus(tokens.refresh_token ?? '')).toBe('revoked');
  });

  it('issues working tokens without the browser steps, for seeding', async () => {
    const tokens = await okta.issueTokens({
      clientId: CLIENT_ID,
      userId,
      scopes: ['openid', 'offline_access', 'okta.users.read', 'okta.groups.manage'],
    });
    expect(tokens.scope).toBe('openid offline_access okta.users.read');
    expect((await refresh(okta, tokens.refresh_token ?? '')).status).toBe(200);
  });
});
