import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OktaPeer } from './index.ts';
import { startOrg } from './testkit.ts';

describe('Okta peer rate limits', () => {
  let okta: OktaPeer;

  beforeEach(async () => {
    ({ okta } = await startOrg());
  });
  afterEach(() => okta.close());

  const keys = () => fetch(`${okta.origin}/oauth2/v1/keys`);

  it('puts the X-Rate-Limit headers on every answer of a limited path', async () => {
    okta.setRateLimit('/oauth2/v1/keys', { limit: 3, windowSeconds: 60 });
    const windowEnd = Math.ceil((okta.clock.now() + 60_000) / 1000);
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await keys();
      expect(response.status).toBe(200);
      expect(response.headers.get('x-rate-limit-limit')).toBe('3');
      remaining.push(response.headers.get('x-rate-limit-remaining'));
      const reset = Number(response.headers.get('x-rate-limit-reset'));
      expect(reset).toBeGreaterThanOrEqual(windowEnd);
      expect(reset).toBeLessThanOrEqual(windowEnd + 1);
    }
    expect(remaining).toEqual(['2', '1', '0']);
  });

  it('answers 429 E0000047 over the limit and counts the 429s it sent', async () => {
    okta.setRateLimit('/oauth2/v1/keys', { limit: 1, windowSeconds: 60 });
    await keys();
    const limited = await keys();
    await keys();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(await limited.json()).toEqual({
      errorCode: 'E0000047',
      errorSummary: 'API call exceeded rate limit due to too many requests.',
      errorLink: 'E0000047',
      errorId: expect.any(String),
      errorCauses: [],
    });
    expect(okta.rateLimitedCount).toBe(2);
    expect(okta.countRequests('/oauth2/v1/keys', 429)).toBe(2);
  });

  it('opens a new window once windowSeconds have passed on the peer clock', async () => {
    okta.setRateLimit('/oauth2/v1/keys', { limit: 1, windowSeconds: 60 });
    await keys();
    expect((await keys()).status).toBe(429);
    okta.clock.advance(60_000);
    const response = await keys();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-rate-limit-remaining')).toBe('0');
  });

  it('counts the requests and 429s of each window it opened', async () => {
    okta.setRateLimit('/oauth2/v1/keys', { limit: 2, windowSeconds: 60 });
    const before = okta.clock.now();
    for (let i = 0; i < 3; i += 1) await keys();
    okta.clock.advance(60_000);
    await keys();
    const windows = okta.rateLimitWindows('/oauth2/v1/keys');
    expect(windows.map(({ requests, limited }) => ({ requests, limited }))).toEqual([
      { requests: 3, limited: 1 },
      { requests: 1, limited: 0 },
    ]);
    expect(windows[0]?.start).toBeGreaterThanOrEqual(before);
    expect((windows[1]?.start ?? 0) - (windows[0]?.start ?? 0)).toBeGreaterThanOrEqual(60_000);
    expect(okta.rateLimitWindows('/oauth2/v1/token')).toEqual([]);
  });

  it('leaves other paths unlimited and without headers', async () => {
    okta.setRateLimit('/oauth2/v1/token', { limit: 0, windowSeconds: 60 });
    const response = await keys();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-rate-limit-limit')).toBeNull();
  });

  it('shares one bucket among the paths under a prefix', async () => {
    okta.setRateLimit('/api/v1/*', { limit: 1, windowSeconds: 60 });
    expect((await fetch(`${okta.origin}/api/v1/users/me`)).status).toBe(401);
    expect((await fetch(`${okta.origin}/api/v1/logs`)).status).toBe(429);
  });

  it('lifts a limit set to null', async () => {
    okta.setRateLimit('/oauth2/v1/keys', { limit: 0, windowSeconds: 60 });
    expect((await keys()).status).toBe(429);
    okta.setRateLimit('/oauth2/v1/keys', null);
    expect((await keys()).status).toBe(200);
  });
});
