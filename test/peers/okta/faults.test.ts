import { createLocalJWKSet, decodeJwt, type JSONWebKeySet, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OktaPeer } from './index.ts';
import { CLIENT_ID, codeFlow, readJson, refresh, startOrg } from './testkit.ts';

describe('Okta peer injected faults', () => {
  let okta: OktaPeer;
  let userId: string;

  beforeEach(async () => {
    ({ okta, userId } = await startOrg());
  });
  afterEach(() => okta.close());

  const keys = () => fetch(`${okta.origin}/oauth2/v1/keys`);

  it('answers the chosen 5xx for the next N requests, then normally', async () => {
    okta.injectFault('/oauth2/v1/keys', { kind: 'status', status: 503, times: 2 });
    const statuses = [(await keys()).status, (await keys()).status, (await keys()).status];
    expect(statuses).toEqual([503, 503, 200]);
  });

  it('answers an OAuth server_error on /oauth2 paths and an Okta error elsewhere', async () => {
    okta.injectFault('/oauth2/v1/token', { kind: 'status', status: 500, times: 1 });
    okta.injectFault('/api/v1/users/me', { kind: 'status', status: 502, times: 1 });
    const token = await fetch(`${okta.origin}/oauth2/v1/token`, { method: 'POST' });
    expect(await token.json()).toMatchObject({ error: 'server_error' });
    const api = await fetch(`${okta.origin}/api/v1/users/me`);
    expect(api.status).toBe(502);
    expect(await api.json()).toMatchObject({ errorCode: 'E0000009' });
  });

  it('keeps failing until cleared when no count is given', async () => {
    okta.injectFault('/oauth2/v1/keys', { kind: 'status', status: 500 });
    for (let i = 0; i < 5; i += 1) expect((await keys()).status).toBe(500);
    okta.clearFaults('/oauth2/v1/keys');
    expect((await keys()).status).toBe(200);
  });

  it('drops the connection without an answer', async () => {
    okta.injectFault('/oauth2/v1/keys', { kind: 'drop', times: 1 });
    await expect(keys()).rejects.toThrow(TypeError);
    expect(okta.requests.at(-1)).toMatchObject({ path: '/oauth2/v1/keys', status: 0 });
    expect((await keys()).status).toBe(200);
  });

  it('answers an HTML page with 200 where JSON was expected', async () => {
    okta.injectFault('/oauth2/v1/keys', { kind: 'garbage', times: 1 });
    const response = await keys();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it('holds a request for the delay, and lets it go when the fault is cleared', async () => {
    okta.injectFault('/oauth2/v1/keys', { kind: 'delay', ms: 600_000, times: 1 });
    let settled = false;
    const pending = keys().then((response) => {
      settled = true;
      return response;
    });
    while (okta.countRequests('/oauth2/v1/keys') === 0)
      await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    okta.clearFaults('/oauth2/v1/keys');
    expect((await pending).status).toBe(200);
  });

  it('with delay-after, acts on the request at once and holds only the answer until cleared', async () => {
    const rotating = await startOrg({
      app: { refreshToken: { rotation: 'ROTATE', leewaySeconds: 0 } },
    });
    try {
      const peer = rotating.okta;
      const { refresh_token: first } = await codeFlow(peer, rotating.userId);
      if (!first) throw new Error('expected a refresh token');
      peer.injectFault('/oauth2/v1/token', { kind: 'delay-after', ms: 600_000, times: 1 });
      let settled = false;
      const pending = refresh(peer, first).then((response) => {
        settled = true;
        return response;
      });
      // Okta has rotated the token (the client's copy is spent) while the answer is held.
      for (let i = 0; i < 500 && peer.tokenStatus(first) !== 'rotated'; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(peer.tokenStatus(first)).toBe('rotated');
      expect(settled).toBe(false);
      expect(peer.requests.at(-1)).toMatchObject({ path: '/oauth2/v1/token', status: 0 });
      peer.clearFaults('/oauth2/v1/token');
      const response = await pending;
      expect(response.status).toBe(200);
      const body = await readJson<{ refresh_token?: string }>(response);
      expect(body.refresh_token).toBe(peer.authorizations()[0]?.refreshToken);
      expect(peer.tokenStatus(body.refresh_token ?? '')).toBe('active');
    } finally {
      await rotating.okta.close();
    }
  });

  it('applies faults queued on one path in order, and prefix faults to every path under it', async () => {
    okta.injectFault('/api/v1/*', { kind: 'status', status: 503, times: 1 });
    okta.injectFault('/api/v1/*', { kind: 'garbage', times: 1 });
    expect((await fetch(`${okta.origin}/api/v1/users/me`)).status).toBe(503);
    expect((await fetch(`${okta.origin}/api/v1/logs`)).headers.get('content-type')).toMatch(
      /^text\/html/,
    );
    expect((await fetch(`${okta.origin}/api/v1/logs`)).status).toBe(401);
  });

  it('makes only the next token response hostile when asked to tamper', async () => {
    okta.tamperNextToken('no-access-token');
    const tampered = await codeFlow(okta, userId);
    const normal = await codeFlow(okta, userId);
    expect(tampered).not.toHaveProperty('access_token');
    expect(tampered.id_token).toEqual(expect.any(String));
    expect(normal.access_token).toEqual(expect.any(String));
  });

  it('signs the ID token with a key outside the JWKS, another issuer or another nonce on request', async () => {
    const jwks = createLocalJWKSet(
      await readJson<JSONWebKeySet>(await fetch(`${okta.origin}/oauth2/v1/keys`)),
    );
    const verify = (token: string | undefined) =>
      jwtVerify(token ?? '', jwks, { audience: CLIENT_ID });

    okta.tamperNextToken('foreign-key');
    await expect(verify((await codeFlow(okta, userId)).id_token)).rejects.toThrow(
      /signature verification failed/,
    );

    okta.tamperNextToken('wrong-iss');
    const wrongIss = await verify((await codeFlow(okta, userId)).id_token);
    expect(wrongIss.payload.iss).toBe(`${okta.issuer}/oauth2/default`);

    okta.tamperNextToken('wrong-nonce');
    const wrongNonce = decodeJwt((await codeFlow(okta, userId)).id_token ?? '');
    expect(wrongNonce.nonce).toEqual(expect.any(String));
    expect(wrongNonce.nonce).not.toBe('nonce-456');
  });
});
