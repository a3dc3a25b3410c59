/**
 * Why `parseOktaDomain` refused an input, each with the one message an Okta admin reads.
 * Messages never repeat what was typed: it may hold anything (mentions, links), and the
 * admin has it in front of them anyway.
 */
export const OKTA_DOMAIN_ERRORS = {
  domain_empty: 'Enter your Okta domain, like acme.okta.com.',
  domain_too_long:
    'That is too long to be an Okta domain. Enter the domain only, like acme.okta.com.',
  domain_placeholder: 'Replace {yourOktaDomain} with your Okta domain, like acme.okta.com.',
  domain_control_character:
    'The domain contains invisible control characters. Type it again, like acme.okta.com.',
  domain_whitespace: 'Enter your Okta domain without spaces, like acme.okta.com.',
  domain_scheme:
    'Enter your Okta domain on its own, like acme.okta.com, without a prefix such as ftp:// (https:// is fine).',
  domain_userinfo: 'Enter your Okta domain without a user name or @, like acme.okta.com.',
  domain_path: 'Enter your Okta domain without a path (the part from /), like acme.okta.com.',
  domain_query: 'Enter your Okta domain without a query (the part from ?), like acme.okta.com.',
  domain_fragment: 'Enter your Okta domain without the part from #, like acme.okta.com.',
  domain_port: 'Enter your Okta domain without a port (such as :443), like acme.okta.com.',
  domain_ip_address:
    'Okta orgs are reached by name, not by IP address. Enter your Okta domain, like acme.okta.com.',
  domain_localhost: 'localhost is not an Okta org. Enter your Okta domain, like acme.okta.com.',
  domain_non_ascii:
    'The domain contains characters other than plain letters, digits, dots and hyphens, such as a ' +
    'look-alike letter from another alphabet or a full-width character. Okta domains never do: ' +
    'type it again, like acme.okta.com.',
  domain_punycode:
    'Internationalized names (parts starting with xn--) are not Okta domains. Enter your Okta ' +
    'domain, like acme.okta.com.',
  domain_invalid_label:
    'Each part of a domain between dots uses only letters, digits and hyphens, does not start or ' +
    'end with a hyphen, and has 1 to 63 characters. Enter your Okta domain, like acme.okta.com.',
  domain_missing_org:
    "That is Okta's own domain, not an org. Add your org's name in front, like acme.okta.com.",
  domain_extra_subdomain:
    'An Okta org domain has a single name before okta.com (or oktapreview.com, okta-emea.com…). ' +
    'Remove the extra parts, like acme.okta.com.',
  domain_not_okta:
    "This is not an Okta domain. Enter your org's Okta domain, like acme.okta.com: it ends in " +
    'okta.com, oktapreview.com, okta-emea.com, okta-gov.com, okta.mil, okta-miltest.com or ' +
    'trex-gov.com. If your org uses a custom domain, enter its Okta domain instead.',
} as const;

export type OktaDomainErrorCode = keyof typeof OKTA_DOMAIN_ERRORS;
