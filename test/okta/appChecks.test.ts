import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateClientKey, keyCredential, secretCredential } from '../../src/clientCredential.ts';
import { checkClientCredentials, checkRedirectUri } from '../../src/okta/appChecks.ts';
import { OktaOrgs } from '../../src/okta/oktaOrgs.ts';
import { probeOrg } from '../../src/okta/probeOrg.ts';
import { type OktaPeer, startOktaPeer } from '../peers/okta/index.ts';

const DOMAIN = 'acme.okta.com';
const REDIRECT_URI = 'http://127.0.0.1:9/oauth/okta/callback';
const APP = { domain: DOMAIN, clientId: '0oaCheck', redirectUri: REDIRECT_URI };
const SECRET = 'check-secret-0123456789';
const RIGHT = secretCredential(SECRET);
const KEY = generateClientKey();
const KEY_APP = { ...APP, clientId: '0oaKeys' };

let okta: OktaPeer;
let orgs: OktaOrgs;
let observed: number[];
beforeEach(async () => {
  okta = await startOktaPeer();
  okta.addApp({ clientId: APP.clientId, clientSecret: SECRET, redirectUris: [REDIRECT_URI] });
  okta.addApp({
    clientId: KEY_APP.clientId,
    clientSecret: 'unused',
    authMethod: 'private_key_jwt',
    jwks: [{ ...KEY.publicJwk }],
    redirectUris: [REDIRECT_URI],
  });
  observed = [];
  orgs = new OktaOrgs({
    originOverrides: new Map([[DOMAIN, okta.origin]]),
    onResponse: (_domain, response) => observed.push(response.status),
  });
});
afterEach(async () => {
  okta.clearFaults();
  await okta.close();
});

describe('checks of an Okta app before the sign-in', () => {
  it('tells accepted from refused credentials by the code Okta answers a made-up code with', async () => {
    expect(await checkClientCredentials(orgs, { ...APP, credential: RIGHT })).toBe('accepted');
    expect(await checkClientCredentials(orgs, { ...APP, credential: secretCredential('no') })).toBe(
      'refused',
    );
    const key = keyCredential(KEY.privateKey, KEY.keyId);
    expect(await checkClientCredentials(orgs, { ...APP, credential: key })).toBe('refused');
    expect(okta.authorizations()).toEqual([]);
  });

  it('accepts the key pair whose public key the app has, and refuses another key or a secret', async () => {
    const check = (credential: Parameters<typeof checkClientCredentials>[1]['credential']) =>
      checkClientCredentials(orgs, { ...KEY_APP, credential });
    expect(await check(keyCredential(KEY.privateKey, KEY.keyId))).toBe('accepted');
    const other = generateClientKey();
    expect(await check(keyCredential(other.privateKey, other.keyId))).toBe('refused');
    expect(await check(secretCredential('unused'))).toBe('refused');
  });

  it('tells a registered redirect URI from an unregistered one and from an unknown client', async () => {
    expect(await checkRedirectUri(orgs, APP)).toBe('registered');
    expect(await checkRedirectUri(orgs, { ...APP, redirectUri: 'http://127.0.0.1:9/other' })).toBe(
      'unregistered',
    );
    expect(await checkRedirectUri(orgs, { ...APP, clientId: '0oaNobody' })).toBe('client_unknown');
  });

  it('passes every answer to the observer that feeds the rate gate', async () => {
    await checkClientCredentials(orgs, { ...APP, credential: RIGHT });
    await checkRedirectUri(orgs, APP);
    expect(observed).toEqual([200, 400, 302]);
  });

  it('answers unchecked for anything it cannot read with certainty, never wrong', async () => {
    okta.injectFault('/oauth2/v1/token', { kind: 'status', status: 503, times: 1 });
    okta.injectFault('/oauth2/v1/authorize', { kind: 'garbage', times: 1 });
    expect(await checkClientCredentials(orgs, { ...APP, credential: RIGHT })).toBe('unchecked');
    expect(await checkRedirectUri(orgs, APP)).toBe('unchecked');
    okta.injectFault('/oauth2/v1/token', { kind: 'drop', times: 1 });
    okta.injectFault('/oauth2/v1/authorize', { kind: 'status', status: 429, times: 1 });
    expect(await checkClientCredentials(orgs, { ...APP, credential: RIGHT })).toBe('unchecked');
    expect(await checkRedirectUri(orgs, APP)).toBe('unchecked');
  });
});

describe('whether a domain answers as an Okta org', () => {
  it('answers okta for the org, and caches the document for the next caller', async () => {
    expect(await probeOrg(orgs, DOMAIN, 2000)).toEqual({ kind: 'okta' });
    await orgs.discovery(DOMAIN);
    expect(okta.countRequests('/.well-known/openid-configuration')).toBe(1);
  });

  it('refuses a web page where the discovery document should be, and lets a server error through', async () => {
    okta.injectFault('/.well-known/openid-configuration', { kind: 'garbage', times: 1 });
    expect(await probeOrg(orgs, DOMAIN, 2000)).toEqual({ kind: 'refused', reason: 'not_okta' });
    okta.injectFault('/.well-known/openid-configuration', {
      kind: 'status',
      status: 503,
      times: 1,
    });
    expect(await probeOrg(orgs, DOMAIN, 2000)).toEqual({
      kind: 'unchecked',
      reason: 'unavailable',
    });
  });

  it('stops waiting at the deadline, and the late document still lands in the cache', async () => {
    okta.injectFault('/.well-known/openid-configuration', { kind: 'delay', ms: 60_000, times: 1 });
    expect(await probeOrg(orgs, DOMAIN, 100)).toEqual({ kind: 'unchecked', reason: 'slow' });
    okta.clearFaults();
    await orgs.discovery(DOMAIN);
    expect(okta.countRequests('/.well-known/openid-configuration')).toBe(1);
  });
});
