import { describe, expect, it } from 'vitest';
import { statusReason } from '../../src/views/statusReason.ts';

describe('statusReason', () => {
  it('prefers the stored text', () => {
    expect(
      statusReason({ statusCode: 'invalid_scope', statusText: 'Okta refused okta.x.read' }),
    ).toBe('Okta refused okta.x.read');
  });

  it('words a failure code the way the DMs do', () => {
    expect(statusReason({ statusCode: 'consent_required', statusText: null })).toMatch(
      /None of the requested/,
    );
    expect(statusReason({ statusCode: 'cancelled', statusText: null })).toMatch(/cancelled/);
  });

  it('words the sweep’s and the scope edit’s codes', () => {
    expect(statusReason({ statusCode: 'scopes_changed', statusText: null })).toMatch(
      /scope change pending/,
    );
    expect(statusReason({ statusCode: 'invalid_grant', statusText: null })).toMatch(
      /refresh token/,
    );
  });

  it('shows an unknown code as it is, and nothing without a code', () => {
    expect(statusReason({ statusCode: 'something_new', statusText: null })).toBe('something_new');
    expect(statusReason({ statusCode: null, statusText: null })).toBeNull();
  });
});
