import { describe, expect, it } from 'vitest';
import { proxyTarget } from '../../../src/web/api/proxyTarget.ts';

const PREFIX = '/api/connections/acme-prod/okta';

describe('proxyTarget', () => {
  it('keeps the Okta path and query as received, without the proxy’s team parameter', () => {
    expect(
      proxyTarget(
        `${PREFIX}/api/v1/users/ada%40acme.example?team=T024BE7LH&search=profile.x+eq+%22y%22`,
      ),
    ).toEqual({
      path: '/api/v1/users/ada%40acme.example',
      search: '?search=profile.x+eq+%22y%22',
      team: 'T024BE7LH',
    });
    expect(proxyTarget(`${PREFIX}/api/v1/logs`)).toEqual({
      path: '/api/v1/logs',
      search: '',
      team: null,
    });
  });

  it.each([
    ['a dot-dot segment', '/api/v1/users/../../oauth2/v1/token'],
    ['an encoded dot-dot segment', '/api/v1/users/%2E%2e/x'],
    ['a single dot segment', '/api/v1/./users'],
    ['an encoded slash', '/api/v1/users%2Fme'],
    ['an encoded backslash', '/api/v1/users%5Cme'],
    ['an encoded NUL', '/api/v1/users%00'],
    ['an empty segment', '/api/v1//users'],
    ['a trailing slash only', '/api/v1/'],
    ['another API', '/oauth2/v1/userinfo'],
    ['another version', '/api/v2/users'],
    ['a bad escape', '/api/v1/users/%zz'],
    ['a backslash', '/api/v1/users\\..\\x'],
  ])('refuses %s', (_name, okta) => {
    expect(proxyTarget(`${PREFIX}${okta}`)).toBeNull();
  });

  it('refuses a request line that is not the proxy’s own shape', () => {
    expect(proxyTarget('/api/./connections/acme-prod/okta/api/v1/users')).toBeNull();
    expect(proxyTarget('http://evil.example/api/connections/x/okta/api/v1/users')).toBeNull();
  });
});
