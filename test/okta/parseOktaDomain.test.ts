import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OKTA_DOMAIN_ERRORS } from '../../src/okta/oktaDomainErrors.ts';
import {
  MAX_DOMAIN_INPUT_LENGTH,
  OKTA_HOSTED_SUFFIXES,
  parseOktaDomain,
} from '../../src/okta/parseOktaDomain.ts';

const RUNS = { numRuns: 2_000 };

describe('parseOktaDomain accepts an Okta org domain', () => {
  it.each([
    'acme.okta.com',
    'trial-123.okta.com',
    'integrator-1234567.okta.com',
    'acme.oktapreview.com',
    'acme.okta-emea.com',
    'doj-login-ext.okta-gov.com',
    'milmove.okta.mil',
    'acme.okta-miltest.com',
    'acme.trex-gov.com',
    'a.okta.com',
    'admin.okta.com',
    `${'a'.repeat(63)}.okta.com`,
  ])('keeps %s as it is', (input) => {
    expect(parseOktaDomain(input)).toEqual({ ok: true, domain: input, changes: [] });
  });

  it('ignores spaces around the domain without mentioning them', () => {
    expect(parseOktaDomain('  \tacme.okta.com \n')).toEqual({
      ok: true,
      domain: 'acme.okta.com',
      changes: [],
    });
  });
});

describe('parseOktaDomain fixes what it safely can and says so', () => {
  it.each([
    ['https://acme.okta.com', 'acme.okta.com', ['Removed https:// — enter the domain only.']],
    ['HTTPS://acme.okta.com', 'acme.okta.com', ['Removed https:// — enter the domain only.']],
    [
      'http://acme.okta.com',
      'acme.okta.com',
      ['Removed http:// — enter the domain only; the bot always connects to Okta over https.'],
    ],
    ['acme.okta.com/', 'acme.okta.com', ['Removed the / at the end.']],
    ['acme.okta.com.', 'acme.okta.com', ['Removed the dot at the end.']],
    ['Acme.OKTA.com', 'acme.okta.com', ['Changed to lower case: domains are not case-sensitive.']],
    [
      'acme-admin.okta.com',
      'acme.okta.com',
      [
        'Used acme.okta.com instead of acme-admin.okta.com: the -admin address is the Admin Console, not the org.',
      ],
    ],
    [
      'https://Acme-Admin.okta.com/',
      'acme.okta.com',
      [
        'Removed https:// — enter the domain only.',
        'Removed the / at the end.',
        'Changed to lower case: domains are not case-sensitive.',
        'Used acme.okta.com instead of acme-admin.okta.com: the -admin address is the Admin Console, not the org.',
      ],
    ],
    [
      'acme-admin-admin.okta.com',
      'acme.okta.com',
      [
        'Used acme.okta.com instead of acme-admin-admin.okta.com: the -admin address is the Admin Console, not the org.',
      ],
    ],
  ])('turns %s into %s', (input, domain, changes) => {
    expect(parseOktaDomain(input)).toEqual({ ok: true, domain, changes });
  });

  it.each(OKTA_HOSTED_SUFFIXES)('uses the org, not the Admin Console, under %s', (suffix) => {
    const result = parseOktaDomain(`acme-admin.${suffix}`);
    expect(result).toMatchObject({ ok: true, domain: `acme.${suffix}` });
    expect(result.ok && result.changes[0]).toContain('Admin Console');
  });
});

describe('parseOktaDomain refuses what is not an Okta org domain', () => {
  it.each([
    ['', 'domain_empty'],
    ['   \t\n', 'domain_empty'],
    ['https://', 'domain_empty'],
    ['/', 'domain_empty'],
    ['.', 'domain_empty'],
    ['a'.repeat(MAX_DOMAIN_INPUT_LENGTH + 1), 'domain_too_long'],
    [`${'a.'.repeat(127)}okta.com`, 'domain_too_long'],
    ['https://{yourOktaDomain}', 'domain_placeholder'],
    ['{yourOktaDomain}/oauth2/default', 'domain_placeholder'],
    ['yourOktaDomain', 'domain_placeholder'],
    ['acme.okta.com\u0000', 'domain_control_character'],
    ['acme\u0007.okta.com', 'domain_control_character'],
    ['acme\u0085.okta.com', 'domain_control_character'],
    ['acme .okta.com', 'domain_whitespace'],
    ['acme.okta.com\u00a0x', 'domain_whitespace'],
    ['ftp://acme.okta.com', 'domain_scheme'],
    ['javascript://acme.okta.com', 'domain_scheme'],
    ['https://https://acme.okta.com', 'domain_scheme'],
    ['https:acme.okta.com', 'domain_scheme'],
    ['https:/acme.okta.com', 'domain_scheme'],
    ['//acme.okta.com', 'domain_scheme'],
    ['a@acme.okta.com', 'domain_userinfo'],
    ['acme.okta.com@evil.com', 'domain_userinfo'],
    ['https://user:secret@acme.okta.com', 'domain_userinfo'],
    ['acme.okta.com/admin', 'domain_path'],
    ['acme.okta.com/oauth2/default', 'domain_path'],
    ['https://acme-admin.okta.com/admin/dashboard', 'domain_path'],
    ['acme.okta.com//', 'domain_path'],
    ['acme.okta.com?x=1', 'domain_query'],
    ['acme.okta.com/?x=1', 'domain_query'],
    ['acme.okta.com#top', 'domain_fragment'],
    ['acme.okta.com/#top', 'domain_fragment'],
    ['acme.okta.com:443', 'domain_port'],
    ['acme.okta.com:', 'domain_port'],
    ['127.0.0.1', 'domain_ip_address'],
    ['https://10.0.0.1/', 'domain_ip_address'],
    ['[::1]', 'domain_ip_address'],
    ['[::1]:443', 'domain_ip_address'],
    ['::1', 'domain_ip_address'],
    ['2130706433', 'domain_ip_address'],
    ['0x7f.0.0.1', 'domain_ip_address'],
    ['0x7f000001', 'domain_ip_address'],
    ['0177.0.0.1', 'domain_ip_address'],
    ['localhost', 'domain_localhost'],
    ['http://LOCALHOST/', 'domain_localhost'],
    ['acme.localhost', 'domain_localhost'],
    ['acme.оkta.com', 'domain_non_ascii'],
    ['ａｃｍｅ.okta.com', 'domain_non_ascii'],
    ['acme．okta.com', 'domain_non_ascii'],
    ['\u212Acme.okta.com', 'domain_non_ascii'],
    ['acme\u200b.okta.com', 'domain_non_ascii'],
    ['xn--80ak6aa92e.okta.com', 'domain_punycode'],
    ['acme.xn--kta-1cd.com', 'domain_punycode'],
    ['-acme.okta.com', 'domain_invalid_label'],
    ['acme-.okta.com', 'domain_invalid_label'],
    ['-admin.okta.com', 'domain_invalid_label'],
    ['acme--admin.okta.com', 'domain_invalid_label'],
    ['ac_me.okta.com', 'domain_invalid_label'],
    ['acme..okta.com', 'domain_invalid_label'],
    ['.okta.com', 'domain_invalid_label'],
    ['acme.okta.com..', 'domain_invalid_label'],
    [`${'a'.repeat(64)}.okta.com`, 'domain_invalid_label'],
    ['acme%2eokta.com', 'domain_invalid_label'],
    ['acme.okta.com\\admin', 'domain_invalid_label'],
    ['<!channel>.okta.com', 'domain_invalid_label'],
    ['okta.com', 'domain_missing_org'],
    ['https://oktapreview.com/', 'domain_missing_org'],
    ['a.b.okta.com', 'domain_extra_subdomain'],
    ['acme.okta.com.okta.com', 'domain_extra_subdomain'],
    ['acme.okta.com.evil.com', 'domain_not_okta'],
    ['acme-okta.com', 'domain_not_okta'],
    ['oktacom', 'domain_not_okta'],
    ['acme.okta.co', 'domain_not_okta'],
    ['evilokta.com', 'domain_not_okta'],
    ['acme.okta.com-evil.com', 'domain_not_okta'],
    ['acme.okta-emea.co', 'domain_not_okta'],
    ['acme.trex-govcloud.com', 'domain_not_okta'],
    ['login.acme.com', 'domain_not_okta'],
  ])('refuses %j as %s', (input, code) => {
    const result = parseOktaDomain(input);
    expect(result).toMatchObject({ ok: false, code });
  });

  it('explains each refusal in words for an admin, showing the expected form', () => {
    for (const [code, message] of Object.entries(OKTA_DOMAIN_ERRORS)) {
      expect(message, code).toContain('acme.okta.com');
      expect(message, code).not.toMatch(/regex|hostname|RFC|label/i);
    }
  });

  it('never repeats what was typed in its message', () => {
    const result = parseOktaDomain('<!channel>.okta.com/<https://evil.example|click>');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toBe(OKTA_DOMAIN_ERRORS[result.code]);
  });

  it('refuses 100 kB inputs at once', () => {
    const huge = [
      'a'.repeat(100_000),
      `https://${'a.'.repeat(50_000)}okta.com`,
      ` ${'\u0000'.repeat(100_000)}`,
      'ａ'.repeat(100_000),
    ];
    for (const input of huge) {
      expect(parseOktaDomain(input)).toMatchObject({ ok: false, code: 'domain_too_long' });
    }
  });
});

describe('parseOktaDomain with operator-allowed custom domains', () => {
  const extraDomains = ['Login.Acme.com', '*.sso.example.org.', '*.com'];

  it.each([
    ['login.acme.com', 'login.acme.com'],
    ['https://LOGIN.acme.com/', 'login.acme.com'],
    ['eu.sso.example.org', 'eu.sso.example.org'],
    ['acme.okta.com', 'acme.okta.com'],
  ])('accepts %s as %s', (input, domain) => {
    expect(parseOktaDomain(input, { extraDomains })).toMatchObject({ ok: true, domain });
  });

  it.each([
    ['a.login.acme.com', 'domain_not_okta'],
    ['acme.com', 'domain_not_okta'],
    ['sso.example.org', 'domain_not_okta'],
    ['a.b.sso.example.org', 'domain_not_okta'],
    ['evil.com', 'domain_not_okta'],
    ['login.acme.com:8443', 'domain_port'],
    ['login.acme.com/oauth2', 'domain_path'],
    ['xn--80ak6aa92e.sso.example.org', 'domain_punycode'],
  ])('refuses %s (exact hosts only; *. admits one name under at least two)', (input, code) => {
    expect(parseOktaDomain(input, { extraDomains })).toMatchObject({ ok: false, code });
  });

  it('keeps -admin on a custom domain, which has no Admin Console twin', () => {
    const result = parseOktaDomain('sso-admin.acme.com', { extraDomains: ['sso-admin.acme.com'] });
    expect(result).toEqual({ ok: true, domain: 'sso-admin.acme.com', changes: [] });
  });
});

const ALLOWED_EXTRA = ['login.acme.com'];

/** Pieces of near-misses: the real suffixes, slightly broken, wrapped in URL parts. */
const nearMissHost = fc
  .tuple(
    fc.constantFrom('', 'https://', 'http://', 'HTTPS://', 'ftp://', '//', 'https:', ' '),
    fc.constantFrom('', 'a@', 'user:pw@', 'acme.okta.com@'),
    fc.stringMatching(/^[A-Za-z0-9_-]{0,10}$/),
    fc.constantFrom('', '-admin', '-ADMIN', '.', '..', '-', '.x', 'о', 'ｏ', '.xn--p1ai'),
    fc.constantFrom('.', '', '-', '..', '。'),
    fc.constantFrom(...OKTA_HOSTED_SUFFIXES, 'login.acme.com', 'acme.com', 'localhost'),
    fc.constantFrom('', 'x', '.', '.evil.com', '-evil.com', 'm'),
    fc.constantFrom('', '/', '//', ':443', ':', '/admin', '?a=1', '#b', '/?', ' ', '\u0000', '.'),
  )
  .map(([scheme, user, org, orgEnd, dot, suffix, after, tail]) => {
    const mangled = suffix.replace(/^(okta)/, (okta) => (org.length % 3 === 0 ? 'оkta' : okta));
    return `${scheme}${user}${org}${orgEnd}${dot}${mangled}${after}${tail}`;
  });

const anyInput = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme', maxLength: 400 }),
  nearMissHost,
);

describe('parseOktaDomain, for any input', () => {
  it('never throws', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        parseOktaDomain(input, { extraDomains: ALLOWED_EXTRA });
      }),
      RUNS,
    );
  });

  it('accepts only plain ASCII hosts under an Okta suffix or an allowed domain', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const result = parseOktaDomain(input, { extraDomains: ALLOWED_EXTRA });
        if (!result.ok) return;
        const { domain } = result;
        expect(domain).toMatch(/^[a-z0-9.-]+$/);
        expect(domain).not.toMatch(/[@:/?#[\]\s]/);
        const underOkta = OKTA_HOSTED_SUFFIXES.some((suffix) => {
          const org = domain.slice(0, -suffix.length - 1);
          return domain.endsWith(`.${suffix}`) && /^[a-z0-9-]+$/.test(org);
        });
        expect(underOkta || ALLOWED_EXTRA.includes(domain)).toBe(true);
        expect(domain).not.toMatch(/-admin\.|xn--/);
      }),
      RUNS,
    );
  });

  it('gives a domain that parses to itself with nothing changed', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const result = parseOktaDomain(input, { extraDomains: ALLOWED_EXTRA });
        if (!result.ok) return;
        expect(parseOktaDomain(result.domain, { extraDomains: ALLOWED_EXTRA })).toEqual({
          ok: true,
          domain: result.domain,
          changes: [],
        });
      }),
      RUNS,
    );
  });

  it('accepts every well-formed org name under every Okta suffix, with any casing and https://', () => {
    const orgLabel = fc
      .stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/)
      .filter((label) => !label.endsWith('-admin') && !label.startsWith('xn--'));
    fc.assert(
      fc.property(
        orgLabel,
        fc.constantFrom(...OKTA_HOSTED_SUFFIXES),
        fc.boolean(),
        (org, suffix, shout) => {
          const domain = `${org}.${suffix}`;
          const typed = `https://${shout ? domain.toUpperCase() : domain}/`;
          expect(parseOktaDomain(typed)).toMatchObject({ ok: true, domain });
        },
      ),
      RUNS,
    );
  });

  it('answers every refusal with the one message of its code', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const result = parseOktaDomain(input);
        if (!result.ok) expect(result.message).toBe(OKTA_DOMAIN_ERRORS[result.code]);
      }),
      RUNS,
    );
  });
});
