/**
 * The URLs a page may put in `action`, `href` or its CSP. Anything else is refused
 * rather than escaped: escaping keeps a value inside its attribute but does not stop a
 * `javascript:` link or a `//evil.example` path from leaving the bot's origin.
 */

// Browsers strip tab, LF and CR from URLs before resolving them ("/\t/x" becomes
// "//x", another host) and drop other controls, so a path holding any is refused.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001F\u007F]/;

/** A path on the bot's own origin: one leading `/`, not `//` or `/\` (read as a host). */
export function isSameOriginPath(value: string): boolean {
  return value.startsWith('/') && value[1] !== '/' && value[1] !== '\\' && !CONTROL.test(value);
}

/** The normalized URL when `value` is absolute with one of `protocols`, else undefined. */
export function absoluteUrl(
  value: string,
  protocols: readonly ('http:' | 'https:')[],
): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return protocols.includes(url.protocol as 'http:' | 'https:') ? url.href : undefined;
}

/** A link target: a same-origin path as given, or a normalized http(s) URL. */
export function linkTarget(value: string): string | undefined {
  return isSameOriginPath(value) ? value : absoluteUrl(value, ['http:', 'https:']);
}

/**
 * The serialized origin of an http(s) URL, safe to place in a header: the URL parser
 * refuses spaces and punycodes the host, so no `;` or newline can add a CSP directive.
 */
export function httpOrigin(value: string): string {
  const href = absoluteUrl(value, ['http:', 'https:']);
  if (href === undefined) throw new TypeError('expected an http(s) origin');
  return new URL(href).origin;
}
