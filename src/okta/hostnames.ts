/** RFC 1035: a label is at most 63 octets, a whole name at most 253 in text form. */
const MAX_LABEL_LENGTH = 63;
export const MAX_HOST_LENGTH = 253;

/** Letters, digits and inner hyphens only: the "LDH" rule of RFC 1123 (no underscores). */
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** Expects a lower-cased ASCII label. */
export function isValidLabel(label: string): boolean {
  return label.length <= MAX_LABEL_LENGTH && LDH_LABEL.test(label);
}

/**
 * A label is punycode when it carries the IDNA prefix `xn--`. Okta org names are plain
 * ASCII, so a punycode label can only be a look-alike (`xn--kta-...` renders as "оkta").
 */
export function isPunycodeLabel(label: string): boolean {
  return label.startsWith('xn--');
}

/**
 * Browsers (WHATWG URL) read a host whose last label is a number — decimal `2130706433`,
 * hex `0x7f`, octal `0177` — as an IPv4 address, so `0x7f.0.0.1` reaches 127.0.0.1.
 * Expects a lower-cased host.
 */
export function looksLikeIpv4(host: string): boolean {
  const last = host.slice(host.lastIndexOf('.') + 1);
  return /^(?:0x[0-9a-f]*|[0-9]+)$/.test(last);
}

/**
 * Whether `host` is one of the operator's extra domains (custom URL domains). An entry
 * is an exact host; an entry `*.acme.com` admits exactly one label under `acme.com`
 * (`login.acme.com`, not `a.login.acme.com` and not `acme.com` itself). A wildcard needs
 * at least two labels after `*.` so that `*.com` cannot open a whole top-level domain.
 * Entries compare case-insensitively and ignore a trailing dot; `host` must already be
 * a validated, lower-cased host.
 */
export function matchesExtraDomain(host: string, entries: readonly string[]): boolean {
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase().replace(/\.$/, '');
    if (!entry.startsWith('*.')) {
      if (entry === host) return true;
      continue;
    }
    const base = entry.slice(2);
    if (!base.includes('.') || !host.endsWith(`.${base}`)) continue;
    const under = host.slice(0, -base.length - 1);
    if (under.length > 0 && !under.includes('.')) return true;
  }
  return false;
}
