import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connectionModel.ts';
import { homeGroupOf, homeOrder } from '../../src/views/homeView.ts';
import {
  createRepos,
  DATABASE_KINDS,
  newConnection,
  openSqliteTestDatabase,
  openTestDatabase,
  type Repos,
} from './testDatabase.ts';

const GROUPS = ['needs_reauth', 'attention', 'failed', 'pending', 'active'] as const;
const ATTENTION = { code: 'insufficient_scope', text: null, scope: 'okta.logs.read' } as const;

/**
 * What a connection is made into: its status, with or without an attention mark. Attention
 * on a connection that is not active must not move it out of its status's group.
 */
type Shape = 'pending' | 'active' | 'attention' | 'needs_reauth' | 'failed' | 'deleted';
type Variant = { shape: Shape; attention: boolean };

const VARIANTS: readonly Variant[] = [
  { shape: 'active', attention: false },
  { shape: 'attention', attention: true },
  { shape: 'needs_reauth', attention: false },
  { shape: 'needs_reauth', attention: true },
  { shape: 'failed', attention: false },
  { shape: 'failed', attention: true },
  { shape: 'pending', attention: false },
  { shape: 'pending', attention: true },
  { shape: 'deleted', attention: false },
  { shape: 'deleted', attention: true },
  { shape: 'active', attention: false },
];

async function make(repos: Repos, teamId: string, nickname: string, variant: Variant) {
  const created = await repos.connections.createPending(newConnection({ teamId, nickname }));
  if (!created.ok) throw new Error('create failed');
  const { id } = created.connection;
  if (variant.shape !== 'pending') {
    await repos.connections.markActive(id, {
      grantedScopes: ['openid'],
      accessToken: `access-${nickname}-0123456789`,
      refreshToken: null,
      accessExpiresAt: null,
      authorizedSub: null,
      authorizedLogin: null,
      authorizedBy: 'U1',
    });
  }
  if (variant.attention) await repos.connections.setAttention(id, ATTENTION);
  if (variant.shape === 'needs_reauth') {
    await repos.connections.markNeedsReauth(id, 'invalid_grant', null);
  }
  if (variant.shape === 'failed') await repos.connections.markFailed(id, 'invalid_scope', null);
  if (variant.shape === 'deleted') await repos.connections.markDeleted(id);
}

/**
 * Two teams with every status, attention marks on every status, deleted connections, and
 * nicknames whose case would sort them differently byte by byte. The other team's
 * connections share nicknames with ours, so a query that forgot the team would show.
 */
async function seed(repos: Repos) {
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
    'Sigma',
    'tau',
    'upsilon',
    'phi',
    'chi',
    'psi',
    'Kappa',
    'lambda',
    'iota',
    'eta',
  ];
  for (const [i, nickname] of names.entries()) {
    await make(repos, 'T_ACME', nickname, VARIANTS[i % VARIANTS.length] as Variant);
    // The other team: the same names, other statuses, and only every other one.
    if (i % 2 === 0) {
      await make(repos, 'T_OTHER', nickname, VARIANTS[(i + 3) % VARIANTS.length] as Variant);
    }
  }
}

/** Every live connection of a team in the Home view's own order, sorted in JavaScript. */
async function expectedOrder(repos: Repos, teamId: string): Promise<Connection[]> {
  return (await repos.connections.listByTeam(teamId, { limit: 1000 })).sort(homeOrder);
}

async function pagesOf(
  read: (page: { limit: number; offset: number }) => Promise<Connection[]>,
  size: number,
  pages: number,
): Promise<Connection[][]> {
  const result: Connection[][] = [];
  for (let page = 0; page < pages; page += 1) {
    result.push(await read({ limit: size, offset: page * size }));
  }
  return result;
}

describe.each(DATABASE_KINDS)('the Home tab order and counts in the database (%s)', (kind) => {
  const setup = async () => {
    const repos = createRepos(await openTestDatabase(kind));
    await seed(repos);
    return repos;
  };

  it('pages connections exactly as the Home view orders them, every page boundary included', async () => {
    const repos = await setup();
    for (const teamId of ['T_ACME', 'T_OTHER']) {
      const expected = (await expectedOrder(repos, teamId)).map((c) => c.id);
      expect(expected.length).toBeGreaterThan(8);
      for (const size of [1, 3, 5, 20]) {
        const pages = await pagesOf(
          (page) => repos.connections.listForHome(teamId, page),
          size,
          Math.ceil(expected.length / size) + 1,
        );
        // Full pages, then the rest, then nothing past the end.
        for (const page of pages.slice(0, -2)) expect(page).toHaveLength(size);
        expect(pages.at(-1)).toEqual([]);
        expect(pages.flat().map((c) => c.id)).toEqual(expected);
      }
    }
  });

  it('counts each Home group of one team, whatever the other team holds', async () => {
    const repos = await setup();
    for (const teamId of ['T_ACME', 'T_OTHER']) {
      const expected = await expectedOrder(repos, teamId);
      const counts = GROUPS.map((group) => expected.filter((c) => homeGroupOf(c) === group).length);
      expect(await repos.connections.countHomeGroups(teamId)).toEqual(counts);
      expect(await repos.connections.countByTeam(teamId)).toBe(expected.length);
    }
    // Our team has attention marks on needs_reauth, failed and pending connections: they
    // count in their status's group, not as "needs attention".
    expect(await repos.connections.countHomeGroups('T_ACME')).toEqual([4, 2, 4, 4, 4]);
    expect(await repos.connections.countHomeGroups('T_NOBODY')).toEqual([0, 0, 0, 0, 0]);
    expect(await repos.connections.countByTeam('T_NOBODY')).toBe(0);
  });

  it('counts every status of every team for the metrics, deleted ones included', async () => {
    const repos = await setup();
    const rows = await repos.handle.all<{ status: string }>(sql`SELECT status FROM connections`);
    const expected: Record<string, number> = {};
    for (const { status } of rows) expected[status] = (expected[status] ?? 0) + 1;
    expect(await repos.connections.countByStatus()).toEqual(expected);
    expect(Object.keys(expected).sort()).toEqual([
      'active',
      'deleted',
      'failed',
      'needs_reauth',
      'pending',
    ]);
  });

  it('pages the list by nickname across page boundaries, without deleted connections', async () => {
    const repos = await setup();
    const all = await repos.connections.listByTeam('T_ACME', { limit: 1000 });
    expect(all.map((c) => c.nickname)).toEqual(
      [...all]
        .map((c) => c.nickname)
        .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())),
    );
    expect(all.some((c) => c.status === 'deleted')).toBe(false);
    expect(all).toHaveLength(await repos.connections.countByTeam('T_ACME'));
    const pages = await pagesOf(
      (page) => repos.connections.listByTeam('T_ACME', page),
      4,
      Math.ceil(all.length / 4) + 1,
    );
    expect(pages.at(-1)).toEqual([]);
    expect(pages.flat().map((c) => c.id)).toEqual(all.map((c) => c.id));
  });
});

/**
 * The Home page's query must match `connections_home_order_idx` — the same rank
 * expression — or SQLite reads and sorts every connection of the team again (the cost
 * issue 12 §4 removed). The statements are caught as the repository prepares them.
 */
describe('the Home page and counts in SQLite', () => {
  it('read the indexes and connection_counts alone, without sorting the team', async () => {
    const handle = openSqliteTestDatabase('memory');
    const statements: string[] = [];
    const prepare = handle.sqlite.prepare.bind(handle.sqlite);
    handle.sqlite.prepare = ((source: string) => {
      statements.push(source);
      return prepare(source);
    }) as typeof handle.sqlite.prepare;
    createRepos(handle);
    const plan = (source: string) => {
      const params = (source.match(/\?/g) ?? []).map(() => 1);
      return handle.sqlite
        .prepare(`EXPLAIN QUERY PLAN ${source}`)
        .all(...params)
        .map((row) => (row as { detail: string }).detail);
    };
    const homePage = statements.filter((s) => s.includes('CASE') && /limit/i.test(s));
    expect(homePage).toHaveLength(1);
    const homePlan = plan(homePage[0] as string);
    expect(homePlan).toContain(
      'SEARCH connections USING COVERING INDEX connections_home_order_idx (team_id=?)',
    );
    // Only the page's rows are sorted again (by the outer query), never the team's.
    expect(homePlan.filter((line) => line.includes('TEMP B-TREE'))).toHaveLength(1);
    // The team's counts: a few rows of connection_counts by its key, not the team's rows.
    const counts = statements.filter((s) => /from "connection_counts"/i.test(s));
    expect(counts).toHaveLength(3);
    for (const statement of counts.filter((s) => s.includes('"team_id" = ?'))) {
      expect(plan(statement)).toEqual([
        'SEARCH connection_counts USING INDEX sqlite_autoindex_connection_counts_1 (team_id=?)',
      ]);
    }
    expect(counts.filter((s) => s.includes('"team_id" = ?'))).toHaveLength(2);
  });
});
