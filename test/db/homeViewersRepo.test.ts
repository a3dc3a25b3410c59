import { describe, expect, it } from 'vitest';
import { HOME_VIEWER_RECENT_MS } from '../../src/db/homeViewersRepo.ts';
import { createRepos, DATABASE_KINDS, openTestDatabase } from './testDatabase.ts';

const TEAM = 'T_ACME';

describe.each(DATABASE_KINDS)('Home tab viewers (%s)', (kind) => {
  const setup = async () => createRepos(await openTestDatabase(kind));

  it('remembers each viewer once, on the page last opened, most recent first', async () => {
    const { homeViewers, clock } = await setup();
    const start = clock();
    await homeViewers.remember(TEAM, { userId: 'U1', page: 2, seenAt: start }, 50);
    await homeViewers.remember(TEAM, { userId: 'U2', page: 1, seenAt: start + 1 }, 50);
    await homeViewers.remember(TEAM, { userId: 'U1', page: 1, seenAt: start + 2 }, 50);
    await homeViewers.remember('T_OTHER', { userId: 'U3', page: 1, seenAt: start }, 50);

    expect(await homeViewers.recent(TEAM, start + 2)).toEqual([
      { userId: 'U1', page: 1, seenAt: start + 2 },
      { userId: 'U2', page: 1, seenAt: start + 1 },
    ]);
  });

  it('keeps the most recent viewers of a team within its bound', async () => {
    const { homeViewers, clock } = await setup();
    for (let i = 0; i < 5; i += 1) {
      await homeViewers.remember(TEAM, { userId: `U${i}`, page: 1, seenAt: clock() + i }, 3);
    }
    const kept = await homeViewers.recent(TEAM, clock() + 5);
    expect(kept.map((viewer) => viewer.userId)).toEqual(['U4', 'U3', 'U2']);
  });

  it('forgets viewers not seen for a while: not recent, then deleted by the housekeeping', async () => {
    const { homeViewers, clock } = await setup();
    const start = clock();
    await homeViewers.remember(TEAM, { userId: 'U_OLD', page: 1, seenAt: start }, 50);
    await homeViewers.remember(TEAM, { userId: 'U_NEW', page: 1, seenAt: start + 60_000 }, 50);
    const later = start + HOME_VIEWER_RECENT_MS + 1;

    expect((await homeViewers.recent(TEAM, later)).map((v) => v.userId)).toEqual(['U_NEW']);
    expect(await homeViewers.deleteExpired(later)).toBe(1);
    expect(await homeViewers.deleteExpired(later)).toBe(0);
  });

  it('moves a viewer to the page a republish showed, unless they opened the tab again meanwhile', async () => {
    const { homeViewers, clock } = await setup();
    const seenAt = clock();
    await homeViewers.remember(TEAM, { userId: 'U1', page: 3, seenAt }, 50);
    await homeViewers.movePage(TEAM, { userId: 'U1', page: 2, seenAt });
    expect(await homeViewers.recent(TEAM, seenAt)).toEqual([{ userId: 'U1', page: 2, seenAt }]);

    await homeViewers.remember(TEAM, { userId: 'U1', page: 1, seenAt: seenAt + 5 }, 50);
    await homeViewers.movePage(TEAM, { userId: 'U1', page: 2, seenAt });
    expect(await homeViewers.recent(TEAM, seenAt)).toEqual([
      { userId: 'U1', page: 1, seenAt: seenAt + 5 },
    ]);
  });

  it('forgets the viewers named, in that team only', async () => {
    const { homeViewers, clock } = await setup();
    const seenAt = clock();
    for (const team of [TEAM, 'T_OTHER']) {
      await homeViewers.remember(team, { userId: 'U1', page: 1, seenAt }, 50);
      await homeViewers.remember(team, { userId: 'U2', page: 1, seenAt }, 50);
    }
    await homeViewers.forget(TEAM, ['U1']);
    expect((await homeViewers.recent(TEAM, seenAt)).map((v) => v.userId)).toEqual(['U2']);
    expect(await homeViewers.recent('T_OTHER', seenAt)).toHaveLength(2);
  });
});
