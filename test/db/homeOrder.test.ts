import { describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connectionModel.ts';
import { homeGroupOf, homeOrder } from '../../src/views/homeView.ts';
import { createRepos, newConnection, openTestDatabase } from './testDatabase.ts';

const GROUPS = ['needs_reauth', 'attention', 'failed', 'pending', 'active'] as const;

describe('the Home tab order in the database', () => {
  it('pages and counts connections exactly as the Home view orders and groups them', async () => {
    const repos = createRepos(await openTestDatabase('memory'));
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
      const created = await repos.connections.createPending(newConnection({ nickname }));
      if (!created.ok) throw new Error('create failed');
      const id = created.connection.id;
      const kind = i % 5;
      if (kind === 0) continue;
      await repos.connections.markActive(id, {
        grantedScopes: ['openid'],
        accessToken: `access-${i}-0123456789`,
        refreshToken: null,
        accessExpiresAt: null,
        authorizedSub: null,
        authorizedLogin: null,
        authorizedBy: 'U1',
      });
      if (kind === 2) await repos.connections.markNeedsReauth(id, 'invalid_grant', null);
      if (kind === 3)
        await repos.connections.setAttention(id, {
          code: 'insufficient_scope',
          text: null,
          scope: 'okta.logs.read',
        });
      if (kind === 4) await repos.connections.markFailed(id, 'invalid_scope', null);
    }
    const expected = await (await repos.connections.listByTeam('T_ACME', { limit: 100 })).sort(
      homeOrder,
    );
    const paged: Connection[] = [];
    for (const offset of [0, 5, 10]) {
      paged.push(...(await repos.connections.listForHome('T_ACME', { limit: 5, offset })));
    }
    expect(paged.map((c) => c.nickname)).toEqual(expected.map((c) => c.nickname));
    const counts = GROUPS.map((group) => expected.filter((c) => homeGroupOf(c) === group).length);
    expect(await repos.connections.countHomeGroups('T_ACME')).toEqual(counts);
  });
});
