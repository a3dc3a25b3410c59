import { readFileSync } from 'node:fs';
import { ROOT } from './children.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotFunction {
  name: string;
  where: string;
  selfMs: number;
  percent: number;
}

/** Self time by function (name and place) in a `node --cpu-prof` profile, and the total. */
function selfTimes(path: string) {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, { name: string; where: string; us: number }>();
  let total = 0;
  profile.samples.forEach((nodeId, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    total += delta;
    const frame = byNode.get(nodeId)?.callFrame;
    if (!frame) return;
    const where = frame.url
      ? `${frame.url.replace(`file://${ROOT}`, '')}:${frame.lineNumber + 1}`
      : '(native)';
    const key = `${frame.functionName}@${where}`;
    const entry = selfUs.get(key) ?? { name: frame.functionName || '(anonymous)', where, us: 0 };
    entry.us += delta;
    selfUs.set(key, entry);
  });
  return { selfUs, total };
}

/**
 * The functions with the most self time in a `node --cpu-prof` profile, by name and
 * place, with idle and GC kept in the list so the share of real work is visible.
 */
export function topSelfTime(path: string, limit = 25): HotFunction[] {
  const { selfUs, total } = selfTimes(path);
  return [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, limit)
    .map((entry) => ({
      name: entry.name,
      where: entry.where,
      selfMs: Math.round(entry.us / 1000),
      percent: Math.round((entry.us / total) * 1000) / 10,
    }));
}

export interface SelfTimeDifference {
  name: string;
  where: string;
  oursMs: number;
  bareMs: number;
  differenceMs: number;
}

/**
 * Self time of each function in `ours` less its self time in `bare`, two profiles of
 * servers that took the same load: the largest differences first, idle left out.
 */
export function selfTimeDifference(ours: string, bare: string, limit = 30): SelfTimeDifference[] {
  const a = selfTimes(ours).selfUs;
  const b = selfTimes(bare).selfUs;
  const ms = (us: number | undefined) => Math.round((us ?? 0) / 1000);
  return [...new Set([...a.keys(), ...b.keys()])]
    .filter((key) => !key.startsWith('(idle)@'))
    .map((key) => {
      const entry = (a.get(key) ?? b.get(key)) as { name: string; where: string };
      const oursMs = ms(a.get(key)?.us);
      const bareMs = ms(b.get(key)?.us);
      return {
        name: entry.name,
        where: entry.where,
        oursMs,
        bareMs,
        differenceMs: oursMs - bareMs,
      };
    })
    .sort((x, y) => Math.abs(y.differenceMs) - Math.abs(x.differenceMs))
    .slice(0, limit);
}
