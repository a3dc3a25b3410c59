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

/**
 * The functions with the most self time in a `node --cpu-prof` profile, by name and
 * place, with idle and GC kept in the list so the share of real work is visible.
 */
export function topSelfTime(path: string, limit = 25): HotFunction[] {
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
