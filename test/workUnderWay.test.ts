import { describe, expect, it } from 'vitest';
import { createWorkUnderWay } from '../src/workUnderWay.ts';

describe('work under way (what shutdown waits for)', () => {
  it('is settled at once when nothing runs', async () => {
    expect(await createWorkUnderWay().settled(0)).toBe(true);
  });

  it('settles when the last piece of work ends, failed or not', async () => {
    const work = createWorkUnderWay();
    let finishOne = () => {};
    let failOther = (_: Error) => {};
    const one = work.track(() => new Promise<void>((resolve) => (finishOne = resolve)));
    const other = work.track(() => new Promise<void>((_, reject) => (failOther = reject)));
    expect(work.size()).toBe(2);
    const settled = work.settled(60_000);

    finishOne();
    await one;
    expect(work.size()).toBe(1);
    failOther(new Error('Slack refused'));
    await expect(other).rejects.toThrow('Slack refused');
    expect(await settled).toBe(true);
    expect(work.size()).toBe(0);
  });

  it('gives up after the time it is given, with the work still counted', async () => {
    const work = createWorkUnderWay();
    void work.track(() => new Promise<void>(() => {}));
    expect(await work.settled(10)).toBe(false);
    expect(work.size()).toBe(1);
  });
});
