import { describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connectionModel.ts';
import type { KnownBlock } from '../../src/views/blocks.ts';
import {
  HOME_PAGE_SIZE,
  type HomeGroup,
  homeGroupOf,
  homeOrder,
  homeView,
  restrictedHomeView,
} from '../../src/views/homeView.ts';
import { blockById, checkLimits, mrkdwnTexts } from './checkLimits.ts';
import { aConnection, expectNothingRaw, HOSTILE, NOW } from './fixtures.ts';

const HOUR = 3_600_000;

function countsOf(connections: readonly Connection[]): Record<HomeGroup, number> {
  const counts = { needs_reauth: 0, attention: 0, failed: 0, pending: 0, active: 0 };
  for (const connection of connections) counts[homeGroupOf(connection)] += 1;
  return counts;
}

/** The whole workspace sorted and cut to `page` as the handler does. */
function page(all: readonly Connection[], number = 1) {
  const sorted = [...all].sort(homeOrder);
  const pageCount = Math.max(1, Math.ceil(sorted.length / HOME_PAGE_SIZE));
  const start = (number - 1) * HOME_PAGE_SIZE;
  return homeView({
    connections: sorted.slice(start, start + HOME_PAGE_SIZE),
    page: number,
    pageCount,
    counts: countsOf(sorted),
    now: NOW,
  });
}

const text = (view: ReturnType<typeof page>) => mrkdwnTexts(view).join('\n');

function pagingButtons(view: ReturnType<typeof page>) {
  return (view.blocks as KnownBlock[])
    .flatMap((b) => (b.type === 'actions' ? b.elements : []))
    .filter((e) => e.action_id === 'home_page')
    .map((e) => [(e as { text: { text: string } }).text.text, (e as { value: string }).value]);
}

const attention = {
  code: 'insufficient_scope',
  text: 'Okta answered Insufficient Scope.',
  scope: 'okta.logs.read',
};

describe('homeView', () => {
  it('invites to create the first connection in an empty workspace', () => {
    const view = page([]);
    expect(view.type).toBe('home');
    expect(text(view)).toContain('no Okta connections yet');
    expect(blockById(view, 'home_new')).toMatchObject({
      elements: [{ action_id: 'home_new', style: 'primary' }],
    });
    expect(checkLimits(view)).toEqual([]);
  });

  it('orders the groups needs reauthorization, attention, failed, pending, active', () => {
    const view = page([
      aConnection({ id: 'c1', nickname: 'a-active' }),
      aConnection({ id: 'c2', nickname: 'b-pending', status: 'pending', authorizedAt: null }),
      aConnection({ id: 'c3', nickname: 'c-failed', status: 'failed' }),
      aConnection({ id: 'c4', nickname: 'd-attention', attention }),
      aConnection({ id: 'c5', nickname: 'e-stale', status: 'needs_reauth' }),
    ]);
    const headings = mrkdwnTexts(view).filter((t) => /^\*[^*]+\* · \d+$/.test(t));
    expect(headings).toEqual([
      '*🚨 Needs reauthorization* · 1',
      '*⚠️ Needs attention* · 1',
      '*❌ Failed* · 1',
      '*⏳ Waiting for sign-in at Okta* · 1',
      '*✅ Active* · 1',
    ]);
    const names = mrkdwnTexts(view)
      .map((t) => /^\*([a-e]-[a-z]+)\*/.exec(t)?.[1])
      .filter(Boolean);
    expect(names).toEqual(['e-stale', 'd-attention', 'c-failed', 'b-pending', 'a-active']);
    expect(text(view)).toContain(
      '5 connections · 🚨 Needs reauthorization: 1 · ⚠️ Needs attention: 1 · ❌ Failed: 1',
    );
  });

  it('shows each connection’s domain, scopes granted and dropped, last check and last error since when', () => {
    const view = page([
      aConnection({
        requestedScopes: ['openid', 'okta.users.read', 'okta.logs.read'],
        grantedScopes: ['openid', 'okta.users.read'],
        lastCheckedAt: NOW - 2 * HOUR,
        lastError: 'Okta answered with a server error (HTTP 503)',
        lastErrorAt: NOW - HOUR,
        failureCount: 3,
        failingSince: NOW - 26 * HOUR,
      }),
    ]);
    const shown = text(view);
    expect(shown).toContain('*acme-prod* · `acme.okta.com`');
    expect(shown).toContain('Granted: `okta.users.read`');
    expect(shown).not.toContain('`openid`');
    expect(shown).toContain('Dropped by Okta: `okta.logs.read`');
    expect(shown).toContain('Last check: 12:05 UTC');
    expect(shown).toContain(
      'Last error: Okta answered with a server error (HTTP 503) (3 failures since 2026-08-20 12:05 UTC)',
    );
  });

  it('shows why a connection needs reauthorization, failed, or what scope it misses', () => {
    const shown = text(
      page([
        aConnection({
          id: 'c1',
          status: 'needs_reauth',
          statusText: 'Okta refused the refresh token.',
        }),
        aConnection({
          id: 'c2',
          status: 'failed',
          statusCode: 'consent_required',
          statusText: null,
        }),
        aConnection({ id: 'c3', attention }),
      ]),
    );
    expect(shown).toContain('Needs reauthorization: Okta refused the refresh token.');
    // In words, as the list says it, not Okta's code.
    expect(shown).toContain(
      'Authorization failed: None of the requested Okta API scopes is granted to the app',
    );
    expect(shown).not.toContain('consent_required');
    expect(shown).toContain('⚠️ Missing `okta.logs.read`: Okta answered Insufficient Scope.');
  });

  it('shows what a pending connection requests, and that it was never checked', () => {
    const shown = text(
      page([
        aConnection({
          status: 'pending',
          authorizedAt: null,
          lastCheckedAt: null,
          grantedScopes: [],
          requestedScopes: ['openid', 'okta.users.read', 'okta.groups.read'],
        }),
      ]),
    );
    expect(shown).toContain('Requests: `okta.users.read` `okta.groups.read`');
    expect(shown).toContain('Last check: never');
    expect(shown).toContain('Waiting since 2026-08-19 14:05 UTC for the sign-in at Okta');
  });

  it('gives every connection Reauthorize, Test, Edit scopes, Rename and Delete with its id', () => {
    const view = page([aConnection()]);
    expect(blockById(view, 'conn_actions:c0nn-1')).toMatchObject({
      type: 'actions',
      elements: [
        { action_id: 'conn_reauth', value: 'c0nn-1' },
        { action_id: 'conn_test', value: 'c0nn-1' },
        { action_id: 'conn_scopes', value: 'c0nn-1' },
        { action_id: 'conn_rename', value: 'c0nn-1' },
        { action_id: 'conn_delete', value: 'c0nn-1', style: 'danger' },
      ],
    });
  });

  it('pages 250 connections within 100 blocks each, with Previous and Next', () => {
    const all = Array.from({ length: 250 }, (_, i) =>
      aConnection({
        id: `c${i}`,
        nickname: `org-${String(i).padStart(3, '0')}`,
        status: i % 7 === 0 ? 'needs_reauth' : i % 11 === 0 ? 'pending' : 'active',
        statusText: 'x'.repeat(3000),
        lastError: 'y'.repeat(3000),
        attention: i % 13 === 0 ? attention : null,
      }),
    );
    const pageCount = Math.ceil(250 / HOME_PAGE_SIZE);
    for (let number = 1; number <= pageCount; number += 1) {
      const view = page(all, number);
      expect(view.blocks.length).toBeLessThanOrEqual(100);
      expect(checkLimits(view)).toEqual([]);
      const expected = [
        ...(number > 1 ? [['Previous', String(number - 1)]] : []),
        ...(number < pageCount ? [['Next', String(number + 1)]] : []),
      ];
      expect(pagingButtons(view)).toEqual(expected);
    }
    expect(text(page(all, 2))).toContain(`Page 2 of ${pageCount}`);
  });

  it('says a group continues from the previous page', () => {
    const all = Array.from({ length: 30 }, (_, i) =>
      aConnection({ id: `c${i}`, nickname: `org-${String(i).padStart(2, '0')}` }),
    );
    expect(text(page(all, 1))).toContain('*✅ Active* · 30\n');
    expect(text(page(all, 2))).toContain('*✅ Active* · 30 (continued)');
  });

  it('refuses more connections than a page holds, which would be a bug', () => {
    const all = Array.from({ length: HOME_PAGE_SIZE + 1 }, (_, i) => aConnection({ id: `c${i}` }));
    expect(() =>
      homeView({ connections: all, page: 1, pageCount: 1, counts: countsOf(all), now: NOW }),
    ).toThrow();
  });

  it.each(HOSTILE)('shows the hostile nickname %j inertly', (nickname) => {
    const view = page([aConnection({ nickname, authorizedLogin: nickname, lastError: nickname })]);
    expect(checkLimits(view)).toEqual([]);
    expectNothingRaw(view);
  });
});

describe('restrictedHomeView', () => {
  it('tells a non-admin who can manage connections, without showing any', () => {
    const view = restrictedHomeView('not_allowed');
    expect(text(view)).toContain('Only Okta connection admins can do this');
    expect(view.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(checkLimits(view)).toEqual([]);
  });

  it('asks to come back when Slack could not say who the viewer is', () => {
    expect(text(restrictedHomeView('role_unknown'))).toContain('could not check your Slack role');
  });
});
