import { SCOPE_CATALOG } from './scopeCatalogData.ts';

/**
 * How many slips (a missing, extra, wrong or swapped character) still point at a known
 * name: one for short names, two for long ones. More, and a genuinely different short
 * name would be "corrected" (`okta.logs.manage` is not a typo of `okta.orgs.manage`).
 */
function allowedEdits(name: string): number {
  return name.length >= 20 ? 2 : 1;
}

const CANDIDATES = SCOPE_CATALOG.map((scope) => ({
  name: scope.name,
  lower: scope.name.toLowerCase(),
}));

/**
 * The catalog name `name` was most likely meant to be: one that differs only in case,
 * or by a slip or two of the keyboard (case ignored). Undefined when nothing is close.
 * Ties go to the earlier catalog entry, so the suggestion is stable.
 */
export function suggestScopeName(name: string): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestEdits = Number.POSITIVE_INFINITY;
  for (const candidate of CANDIDATES) {
    const limit = Math.min(allowedEdits(candidate.name), bestEdits - 1);
    const edits = editDistanceUpTo(lower, candidate.lower, limit);
    if (edits <= limit) {
      best = candidate.name;
      bestEdits = edits;
      if (edits === 0) break;
    }
  }
  return best;
}

/**
 * Edit distance counting a swap of two neighbours as one edit (optimal string
 * alignment), or `limit + 1` as soon as it is known to exceed `limit`: the length check
 * and the early row exit keep a list of 100 odd names cheap.
 */
function editDistanceUpTo(a: string, b: string, limit: number): number {
  if (limit < 0 || Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (previous[j] ?? i) + 1,
        (current[j - 1] ?? j) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (before[j - 2] ?? 0) + 1);
      }
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return Math.min(previous[b.length] ?? limit + 1, limit + 1);
}
