/** A path segment as RFC 3986 allows it: unreserved, sub-delims, `:`, `@`, and %XX escapes. */
const SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+$/;
/** Decoded, a segment must not split into two or hold a control character. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const SPLITS_OR_CONTROL = /[/\\\u0000-\u001F\u007F]/;
/** The proxy's own path before the Okta path: /api/connections/NAME/okta/ */
const PREFIX_SEGMENTS = 5;

interface ProxyTarget {
  /** `/api/v1/…`, each segment as received (still percent-encoded). */
  path: string;
  /** `''` or `?…`: the query as received, without the proxy's own `team` parameter. */
  search: string;
  /** The `team` parameter, not yet checked. */
  team: string | null;
}

/**
 * The Okta path and query of a proxy request, read from the raw request line. Bolt
 * matched the route on a normalized URL, where `..` and `%2e%2e` are already resolved
 * away, so the raw text is checked again here: only `api/v1/…` after `/okta/`, no empty,
 * `.` or `..` segment (plain or encoded), no encoded slash or backslash. Anything odd is
 * refused rather than repaired, so what Okta receives is exactly what was checked.
 */
export function proxyTarget(rawUrl: string): ProxyTarget | null {
  if (!rawUrl.startsWith('/') || rawUrl.includes('#')) return null;
  const queryAt = rawUrl.indexOf('?');
  const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  const segments = rawPath.split('/');
  const [, api, connections, , okta] = segments;
  if (api !== 'api' || connections !== 'connections' || okta !== 'okta') return null;
  const rest = segments.slice(PREFIX_SEGMENTS);
  if (rest[0] !== 'api' || rest[1] !== 'v1' || rest.length < 3) return null;
  if (!rest.every(isPlainSegment)) return null;
  const query = queryAt === -1 ? '' : rawUrl.slice(queryAt + 1);
  const { kept, team } = withoutTeam(query);
  return { path: `/${rest.join('/')}`, search: kept ? `?${kept}` : '', team };
}

function isPlainSegment(segment: string): boolean {
  if (!SEGMENT.test(segment)) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return false;
  }
  return decoded !== '.' && decoded !== '..' && !SPLITS_OR_CONTROL.test(decoded);
}

/** Takes `team=` out of a query, leaving every other pair byte for byte as Okta should see it. */
function withoutTeam(query: string): { kept: string; team: string | null } {
  let team: string | null = null;
  const kept: string[] = [];
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const name = pair.split('=', 1)[0] ?? '';
    if (name === 'team') team = decodeQueryValue(pair.slice(name.length + 1));
    else kept.push(pair);
  }
  return { kept: kept.join('&'), team };
}

function decodeQueryValue(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
