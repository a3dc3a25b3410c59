import { describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connectionModel.ts';
import { LIST_PAGE_SIZE, listMessage } from '../../src/views/listMessage.ts';
import { checkLimits, mrkdwnTexts } from './checkLimits.ts';
import { aConnection, expectNothingRaw, HOSTILE, NOW } from './fixtures.ts';

function connections(count: number, from = 0): Connection[] {
  return Array.from({ length: count }, (_, i) =>
    aConnection({ id: `c${from + i}`, nickname: `org-${from + i}` }),
  );
}

function list(conns: Connection[], page = 1, pageCount = 1, total = conns.length) {
  return listMessage({ connections: conns, page, pageCount, total, now: NOW });
}

type Blocks = ReturnType<typeof list>['blocks'];

function pagingButtons(blocks: Blocks) {
  return blocks
    .flatMap((b) => (b.type === 'actions' ? b.elements : []))
    .filter((e) => e.action_id === 'list_page')
    .map((e) => [(e as { text: { text: string } }).text.text, (e as { value: string }).value]);
}

describe('listMessage', () => {
  it('invites to create a connection when there is none', () => {
    const m = list([]);
    expect(mrkdwnTexts(m).join('\n')).toContain('Create one with `/okta-connect new`');
    expect(checkLimits(m)).toEqual([]);
  });

  it('shows one connection with its status, scopes, who authorized it and its buttons', () => {
    const m = list([aConnection()]);
    expect(m.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Okta connections (1)' } });
    const text = mrkdwnTexts(m).join('\n');
    expect(text).toContain('*acme-prod*');
    expect(text).toContain('`acme.okta.com`');
    expect(text).toContain('✅ Active');
    expect(text).toContain('3 scopes granted');
    expect(text).toContain('Authorized by <@U0ADMIN1> as admin@acme.example on 2026-08-20');
    const actions = m.blocks.find((b) => b.block_id === 'conn_actions:c0nn-1');
    expect(actions).toMatchObject({
      type: 'actions',
      elements: [
        { action_id: 'conn_reauth', value: 'c0nn-1' },
        { action_id: 'conn_test', value: 'c0nn-1' },
        { action_id: 'conn_scopes', value: 'c0nn-1' },
        { action_id: 'conn_rename', value: 'c0nn-1' },
        { action_id: 'conn_delete', value: 'c0nn-1', style: 'danger' },
      ],
    });
    expect(pagingButtons(m.blocks)).toEqual([]);
    expect(checkLimits(m)).toEqual([]);
  });

  it.each([
    ['needs_reauth', '⚠️'],
    ['failed', '❌'],
    ['pending', '⏳'],
  ] as const)('marks a %s connection with %s and its reason', (status, emoji) => {
    const m = list([aConnection({ status, statusText: 'Okta said <!channel>' })]);
    const text = mrkdwnTexts(m).join('\n');
    expect(text).toContain(emoji);
    expect(text).toContain('Okta said &lt;!channel&gt;');
  });

  it('shows the attention mark of a working connection', () => {
    const m = list([
      aConnection({
        attention: {
          code: 'insufficient_scope',
          text: 'Okta refused a call',
          scope: 'okta.logs.read',
        },
      }),
    ]);
    expect(mrkdwnTexts(m).join('\n')).toContain(
      'Needs attention (`okta.logs.read`): Okta refused a call',
    );
  });

  it('mentions only real Slack user ids', () => {
    const m = list([aConnection({ authorizedBy: '<!channel>', authorizedLogin: null })]);
    expect(mrkdwnTexts(m).join('\n')).toContain('Authorized by &lt;!channel&gt;');
    expectNothingRaw(m);
  });

  it('fits a full page within 50 blocks, without paging when it is the only page', () => {
    const m = list(connections(LIST_PAGE_SIZE));
    expect(LIST_PAGE_SIZE).toBe(15);
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(pagingButtons(m.blocks)).toEqual([]);
    expect(checkLimits(m)).toEqual([]);
  });

  it('offers Next on the first of several pages', () => {
    const m = list(connections(LIST_PAGE_SIZE), 1, 2, 16);
    expect(m.blocks[0]).toMatchObject({ text: { text: 'Okta connections (16)' } });
    expect(pagingButtons(m.blocks)).toEqual([['Next', '2']]);
    expect(checkLimits(m)).toEqual([]);
  });

  it('offers Previous on the last page', () => {
    const m = list(connections(1, 15), 2, 2, 16);
    expect(pagingButtons(m.blocks)).toEqual([['Previous', '1']]);
    expect(checkLimits(m)).toEqual([]);
  });

  it('offers both on a middle page, still within 50 blocks', () => {
    const m = list(connections(LIST_PAGE_SIZE, 15), 2, 3, 40);
    expect(pagingButtons(m.blocks)).toEqual([
      ['Previous', '1'],
      ['Next', '3'],
    ]);
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(checkLimits(m)).toEqual([]);
  });

  it('refuses more connections than a page holds, which would be a bug', () => {
    expect(() => list(connections(LIST_PAGE_SIZE + 1))).toThrow();
  });

  it('keeps a page of long reasons within limits', () => {
    const long = aConnection({ statusText: 'x'.repeat(3000), authorizedLogin: 'y'.repeat(500) });
    const m = list(Array.from({ length: LIST_PAGE_SIZE }, (_, i) => ({ ...long, id: `c${i}` })));
    expect(checkLimits(m)).toEqual([]);
    expect(mrkdwnTexts(m).join('').length).toBeLessThan(13_000);
  });

  it.each(HOSTILE)('shows the hostile nickname %j inertly', (nickname) => {
    const m = list([aConnection({ nickname, authorizedBy: null, authorizedLogin: nickname })]);
    expect(checkLimits(m)).toEqual([]);
    expectNothingRaw(m);
  });
});
