import { describe, expect, it } from 'vitest';
import { homeGroupOf, homeOrder } from '../../src/views/homeView.ts';
import { createRepos, newConnection, openTestDatabase } from './testDatabase.ts';

const GROUPS = ['needs_reauth', 'attention', 'failed', 'pending', 'active'] as const;

describe('the Home tab order in the database', () => {
  it('pages and counts connections exactly as the Home view orders and groups them', () => {
    const repos = createRepos(openTestDatabase('memory'));
    const names = [
      'zeta',
      'Alpha',
      'beta',
      'Gamma',
      'delta',
      'eps',
      'Omega',
      'mu',
      'nu',
      'xi',
      'pi',
      'rho',
    ];
    for (const [i, nickname] of names.entries()) {
      const created = repos.connections.createPending(newConnection({ nickname }));
      if (!created.ok) throw new Error('create failed');
      const id = created.connection.id;
      const kind = i % 5;
      if (kind === 0) continue;
      repos.connections.markActive(id, {
        grantedScopes: ['openid'],
        accessToken: `access-${i}-0123456789`,
        refreshToken: null,
        accessExpiresAt: null,
        authorizedSub: null,
        authorizedLogin: null,
        authorizedBy: 'U1',
      });
      if (kind === 2) repos.connections.markNeedsReauth(id, 'invalid_grant', null);
      if (kind === 3)
        repos.connections.setAttention(id, {
          code: 'insufficient_scope',
          text: null,
          scope: 'okta.logs.read',
        });
      if (kind === 4) repos.connections.markFailed(id, 'invalid_scope', null);
    }
    const expected = repos.connections.listByTeam('T_ACME', { limit: 100 }).sort(homeOrder);
    const paged = [0, 5, 10].flatMap((offset) =>
      repos.connections.listForHome('T_ACME', { limit: 5, offset }),
    );
    expect(paged.map((c) => c.nickname)).toEqual(expected.map((c) => c.nickname));
    const counts = GROUPS.map((group) => expected.filter((c) => homeGroupOf(c) === group).length);
    expect(repos.connections.countHomeGroups('T_ACME')).toEqual(counts);
  });
});
