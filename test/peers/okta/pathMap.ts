/**
 * Values keyed by request path: an exact path (`/oauth2/v1/token`) or a prefix ending
 * in `*` (`/api/v1/*`), which covers every path under it. Exact keys win; prefixes are
 * few, so checking them in a loop keeps the per-request cost flat.
 */
export function patternMatches(pattern: string, path: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
}

export class PathMap<T> {
  private readonly exact = new Map<string, T>();
  private readonly prefixes = new Map<string, T>();

  set(pattern: string, value: T): void {
    if (pattern.endsWith('*')) this.prefixes.set(pattern.slice(0, -1), value);
    else this.exact.set(pattern, value);
  }

  delete(pattern: string): void {
    if (pattern.endsWith('*')) this.prefixes.delete(pattern.slice(0, -1));
    else this.exact.delete(pattern);
  }

  clear(): void {
    this.exact.clear();
    this.prefixes.clear();
  }

  /** The value for a concrete request path; `usable` skips values that are spent. */
  match(path: string, usable: (value: T) => boolean = () => true): T | undefined {
    const exact = this.exact.get(path);
    if (exact !== undefined && usable(exact)) return exact;
    for (const [prefix, value] of this.prefixes) {
      if (path.startsWith(prefix) && usable(value)) return value;
    }
    return undefined;
  }

  /** The value stored under exactly this pattern. */
  get(pattern: string): T | undefined {
    return pattern.endsWith('*')
      ? this.prefixes.get(pattern.slice(0, -1))
      : this.exact.get(pattern);
  }
}
