import { describe, expect, it } from 'vitest';
import { rememberSubmission } from '../../src/flows/rememberSubmission.ts';
import { createRepos, DATABASE_KINDS, openTestDatabase } from './testDatabase.ts';

const TEN_MINUTES = 10 * 60_000;

describe.each(DATABASE_KINDS)('remembered Slack deliveries (%s)', (kind) => {
  const setup = async () => createRepos(await openTestDatabase(kind));

  it('lets exactly one of many concurrent deliveries of a key claim it', async () => {
    const { deliveries } = await setup();
    const claims = await Promise.all(
      Array.from({ length: 8 }, () => deliveries.claim('view:V1', TEN_MINUTES)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await deliveries.claim('view:V2', TEN_MINUTES)).toBe(true);
  });

  it('gives a repeat the first answer, and frees the key once it has expired', async () => {
    const repos = await setup();
    const first = await rememberSubmission<{ answer: string }>(repos, 'V1');
    if (first.seen) throw new Error('the first delivery was taken for a repeat');
    expect(await first.settle({ answer: 'done' })).toEqual({ answer: 'done' });
    expect(await rememberSubmission(repos, 'V1')).toEqual({
      seen: true,
      response: { answer: 'done' },
    });

    repos.clock.advance(TEN_MINUTES);
    expect(await repos.deliveries.deleteExpired()).toBe(1);
    expect((await rememberSubmission(repos, 'V1')).seen).toBe(false);
  });

  it('lets a corrected resubmission through after an answer with field errors', async () => {
    const repos = await setup();
    const first = await rememberSubmission<{ errors: string }>(repos, 'V1');
    if (first.seen) throw new Error('the first delivery was taken for a repeat');
    await first.forget({ errors: 'nickname taken' });
    expect((await rememberSubmission(repos, 'V1')).seen).toBe(false);
  });

  it('answers a repeat within Slack’s window when the first delivery never answers', async () => {
    const repos = await setup();
    expect((await rememberSubmission(repos, 'V1')).seen).toBe(false);
    let waited = 0;
    const repeat = await rememberSubmission(repos, 'V1', async (ms) => {
      waited += ms;
    });
    expect(repeat).toEqual({ seen: true, response: null });
    expect(waited).toBeGreaterThanOrEqual(2_000);
    expect(waited).toBeLessThan(2_500);
  });
});
