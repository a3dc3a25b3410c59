import { describe, expect, it } from 'vitest';
import { passedHeaders, rewriteLinks } from '../../../src/web/api/proxyHeaders.ts';

const toProxy = (url: URL) =>
  url.origin === 'https://acme.okta.com' && url.pathname.startsWith('/api/v1/')
    ? `https://bot.example/api/connections/acme/okta${url.pathname}${url.search}`
    : null;

describe('rewriteLinks', () => {
  it('points Okta’s pagination links back at the proxy', () => {
    const header =
      '<https://acme.okta.com/api/v1/users?limit=2>; rel="self", <https://acme.okta.com/api/v1/users?after=00u2&limit=2>; rel="next"';
    expect(rewriteLinks(header, toProxy)).toBe(
      '<https://bot.example/api/connections/acme/okta/api/v1/users?limit=2>; rel="self", <https://bot.example/api/connections/acme/okta/api/v1/users?after=00u2&limit=2>; rel="next"',
    );
  });

  it('drops links to another host or outside /api/v1/', () => {
    const header =
      '<https://evil.example/api/v1/users>; rel="next", <https://acme.okta.com/oauth2/v1/keys>; rel="describedby"';
    expect(rewriteLinks(header, toProxy)).toBeNull();
  });
});

describe('passedHeaders', () => {
  it('passes the content type, rate-limit figures and request id, and nothing else', () => {
    const response = new Response('[]', {
      headers: {
        'content-type': 'application/json',
        'x-rate-limit-limit': '600',
        'x-rate-limit-remaining': '599',
        'x-rate-limit-reset': '1700000000',
        'x-okta-request-id': 'abc',
        'set-cookie': 'sid=secret',
        'www-authenticate': 'Bearer error="invalid_token"',
        'content-length': '2',
      },
    });
    expect(passedHeaders(response, toProxy)).toEqual({
      'content-type': 'application/json',
      'x-rate-limit-limit': '600',
      'x-rate-limit-remaining': '599',
      'x-rate-limit-reset': '1700000000',
      'x-okta-request-id': 'abc',
    });
  });
});
