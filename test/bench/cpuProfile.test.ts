import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selfTimeDifference, topSelfTime } from '../../bench/lib/cpuProfile.ts';
import { tempDir } from '../db/testDatabase.ts';

/** A `--cpu-prof` profile whose samples give each function `ms` of self time. */
function profile(selfMs: Record<string, number>): string {
  const names = Object.keys(selfMs);
  const nodes = names.map((name, i) => ({
    id: i + 1,
    callFrame: {
      functionName: name === '(idle)' ? '(idle)' : name,
      url: name.startsWith('(') ? '' : 'file:///lib/shared.js',
      lineNumber: 0,
    },
  }));
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  names.forEach((name, i) => {
    for (let ms = 0; ms < (selfMs[name] ?? 0); ms += 1) {
      samples.push(i + 1);
      timeDeltas.push(1000);
    }
  });
  const path = join(tempDir(), `${names.join('-')}.cpuprofile`);
  writeFileSync(path, JSON.stringify({ nodes, samples, timeDeltas }));
  return path;
}

describe('CPU profiles of the bench', () => {
  it('lists self time by function, the largest first, with its share', () => {
    const top = topSelfTime(profile({ '(idle)': 60, parse: 30, write: 10 }));
    expect(top.map((hot) => [hot.name, hot.selfMs, hot.percent])).toEqual([
      ['(idle)', 60, 60],
      ['parse', 30, 30],
      ['write', 10, 10],
    ]);
  });

  it('subtracts bare Bolt’s self time from ours per function, idle left out, the largest differences first', () => {
    const ours = profile({ '(idle)': 10, parse: 30, validate: 25, write: 12 });
    const bare = profile({ '(idle)': 70, parse: 29, write: 2, onlyBare: 5 });
    const rows = selfTimeDifference(ours, bare);
    expect(rows.map((row) => [row.name, row.differenceMs])).toEqual([
      ['validate', 25],
      ['write', 10],
      ['onlyBare', -5],
      ['parse', 1],
    ]);
    expect(rows.find((row) => row.name === 'write')).toMatchObject({ oursMs: 12, bareMs: 2 });
  });
});
