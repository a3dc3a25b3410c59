/**
 * Okta's answer headers a tool may see. Everything else stays behind: `set-cookie`
 * (Okta's session cookies are not the tool's), `www-authenticate` (a 401 from this API
 * means the API key), and the hop headers, since the body is re-sent decoded and chunked.
 */
const PASSED = [
  'content-type',
  'x-rate-limit-limit',
  'x-rate-limit-remaining',
  'x-rate-limit-reset',
  'x-okta-request-id',
] as const;

/** `<url>; rel="next"`, one entry of a `link` header (Okta's URLs hold no `<` or `>`). */
const LINK_ENTRY = /<([^>]*)>([^<]*)/g;
const REL = /;\s*rel="?([A-Za-z-]+)"?/;

/** Where Okta's pagination links point once they go through the proxy: null drops a link. */
type LinkRewrite = (oktaUrl: URL) => string | null;

export function passedHeaders(response: Response, rewrite: LinkRewrite): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of PASSED) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const link = rewriteLinks(response.headers.get('link'), rewrite);
  if (link) headers.link = link;
  return headers;
}

/**
 * Okta pages lists with `link: <https://{org}/api/v1/users?after=…>; rel="next"`. A
 * tool follows that URL, so it is pointed back at the proxy (`rewrite`); a link that is
 * not an `/api/v1/` URL of the same org is dropped rather than passed on.
 */
export function rewriteLinks(header: string | null, rewrite: LinkRewrite): string | null {
  if (!header) return null;
  const entries: string[] = [];
  for (const [, target = '', params = ''] of header.matchAll(LINK_ENTRY)) {
    const rel = REL.exec(params)?.[1];
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      continue;
    }
    const proxied = rel ? rewrite(url) : null;
    if (proxied) entries.push(`<${proxied}>; rel="${rel}"`);
  }
  return entries.length > 0 ? entries.join(', ') : null;
}
