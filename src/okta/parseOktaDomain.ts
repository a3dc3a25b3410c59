import {
  isPunycodeLabel,
  isValidLabel,
  looksLikeIpv4,
  MAX_HOST_LENGTH,
  matchesExtraDomain,
} from './hostnames.ts';
import { OKTA_DOMAIN_ERRORS, type OktaDomainErrorCode } from './oktaDomainErrors.ts';

/**
 * Domains Okta hosts orgs under (okta-aspnet's validator uses the same list). An org is
 * always exactly one label under one of them: `acme.okta.com`, `trial-123.okta.com`.
 */
export const OKTA_HOSTED_SUFFIXES = [
  'okta.com',
  'oktapreview.com',
  'okta-emea.com',
  'okta-gov.com',
  'okta.mil',
  'okta-miltest.com',
  'trex-gov.com',
] as const;

/**
 * Generous for a 253-character host plus `https://` and a `/`, yet small enough that
 * pasted junk (a whole page, a 100 kB string) is refused before any other work.
 */
export const MAX_DOMAIN_INPUT_LENGTH = 300;

export interface ParseOktaDomainOptions {
  /** Operator-allowed custom URL domains; see `matchesExtraDomain` for `*.` entries. */
  extraDomains?: readonly string[];
}

export type ParseOktaDomainResult =
  | { ok: true; domain: string; changes: string[] }
  | { ok: false; code: OktaDomainErrorCode; message: string };

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
/** `https:acme.okta.com`, `http:/acme…` and `//acme…`: a scheme typed wrongly. */
const BROKEN_SCHEME = /^(?:https?:|\/\/)/i;
const ADMIN_SUFFIX = '-admin';

function fail(code: OktaDomainErrorCode): ParseOktaDomainResult {
  return { ok: false, code, message: OKTA_DOMAIN_ERRORS[code] };
}

/**
 * Turns what an admin typed or pasted into the org's canonical host, fixing what can be
 * fixed safely (and saying so in `changes`) and refusing everything else. The result
 * is the only host the bot will ever send tokens or secrets to, so anything that is not
 * plainly `{org}.{okta suffix}` or an operator-allowed domain is refused.
 */
export function parseOktaDomain(
  input: string,
  options: ParseOktaDomainOptions = {},
): ParseOktaDomainResult {
  if (typeof input !== 'string') return fail('domain_empty');
  if (input.length > MAX_DOMAIN_INPUT_LENGTH) return fail('domain_too_long');
  const text = input.trim();
  if (text === '') return fail('domain_empty');
  // Okta's docs and SDK samples write `https://{yourOktaDomain}`; admins paste it as is.
  if (/[{}]|youroktadomain/i.test(text)) return fail('domain_placeholder');
  if (/\p{Cc}/u.test(text)) return fail('domain_control_character');
  if (/\s/.test(text)) return fail('domain_whitespace');
  // Checked before lower-casing: `toLowerCase` maps some non-ASCII letters (the Kelvin
  // sign K) to ASCII ones, which would let a look-alike through.
  if (/[^!-~]/.test(text)) return fail('domain_non_ascii');

  const changes: string[] = [];
  let rest = text;
  const scheme = SCHEME.exec(rest);
  if (scheme) {
    const name = scheme[1]?.toLowerCase();
    if (name !== 'https' && name !== 'http') return fail('domain_scheme');
    changes.push(
      name === 'https'
        ? 'Removed https:// — enter the domain only.'
        : 'Removed http:// — enter the domain only; the bot always connects to Okta over https.',
    );
    rest = rest.slice(scheme[0].length);
  }
  if (SCHEME.test(rest) || BROKEN_SCHEME.test(rest)) return fail('domain_scheme');

  const end = rest.search(/[/?#]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  const tail = end === -1 ? '' : rest.slice(end);
  if (authority === '') return fail('domain_empty');
  if (authority.includes('@')) return fail('domain_userinfo');
  // Brackets or several colons can only be an IPv6 literal such as [::1].
  if (/[[\]]/.test(authority) || authority.indexOf(':') !== authority.lastIndexOf(':')) {
    return fail('domain_ip_address');
  }
  if (authority.includes(':')) return fail('domain_port');
  const tailProblem = checkTail(tail, changes);
  if (tailProblem) return fail(tailProblem);

  let host = authority;
  if (host.endsWith('.')) {
    host = host.slice(0, -1);
    changes.push('Removed the dot at the end.');
  }
  if (host === '') return fail('domain_empty');
  if (host.length > MAX_HOST_LENGTH) return fail('domain_too_long');
  const lower = host.toLowerCase();
  if (lower !== host) changes.push('Changed to lower case: domains are not case-sensitive.');

  if (looksLikeIpv4(lower)) return fail('domain_ip_address');
  if (lower === 'localhost' || lower.endsWith('.localhost')) return fail('domain_localhost');
  const labels = lower.split('.');
  if (labels.some(isPunycodeLabel)) return fail('domain_punycode');
  if (!labels.every(isValidLabel)) return fail('domain_invalid_label');

  // Operator-allowed domains are taken as they are: no -admin rewriting for custom URLs.
  if (matchesExtraDomain(lower, options.extraDomains ?? [])) {
    return { ok: true, domain: lower, changes };
  }
  return matchOktaHosted(lower, changes);
}

/** Only a lone trailing `/` is harmless; any path, query or fragment is refused. */
function checkTail(tail: string, changes: string[]): OktaDomainErrorCode | null {
  if (tail === '') return null;
  if (tail === '/') {
    changes.push('Removed the / at the end.');
    return null;
  }
  const next = tail.startsWith('/') ? tail[1] : tail[0];
  if (next === '?') return 'domain_query';
  if (next === '#') return 'domain_fragment';
  return 'domain_path';
}

function matchOktaHosted(host: string, changes: string[]): ParseOktaDomainResult {
  for (const suffix of OKTA_HOSTED_SUFFIXES) {
    if (host === suffix) return fail('domain_missing_org');
    if (!host.endsWith(`.${suffix}`)) continue;
    const typed = host.slice(0, -suffix.length - 1);
    if (typed.includes('.')) return fail('domain_extra_subdomain');
    // `acme-admin.okta.com` is the Admin Console of `acme.okta.com`; the org
    // authorization server, and so the connection, lives on the org host.
    let org = typed;
    while (org.endsWith(ADMIN_SUFFIX)) org = org.slice(0, -ADMIN_SUFFIX.length);
    if (!isValidLabel(org)) return fail('domain_invalid_label');
    const domain = `${org}.${suffix}`;
    if (org !== typed) {
      changes.push(
        `Used ${domain} instead of ${host}: the -admin address is the Admin Console, not the org.`,
      );
    }
    return { ok: true, domain, changes };
  }
  return fail('domain_not_okta');
}
