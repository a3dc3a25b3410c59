import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateClientKey, keyCredential, secretCredential } from '../../src/clientCredential.ts';
import { checkClientCredential } from '../../src/okta/checkClientCredential.ts';
import { OktaOrgs } from '../../src/okta/oktaOrgs.ts';
import { type OktaPeer, startOktaPeer } from '../peers/okta/index.ts';

const DOMAIN = 'acme.okta.com';
const REDIRECT_URI = 'http://127.0.0.1:9/oauth/okta/callback';

describe('checkClientCredential: a token request with a code that cannot exist', () => {
  let okta: OktaPeer;
  let orgs: OktaOrgs;
  const key = generateClientKey();

  beforeEach(async () => {
    okta = await startOktaPeer();
    okta.addApp({
      clientId: '0oaSecret',
      clientSecret: 'right-secret',
      redirectUris: [REDIRECT_URI],
    });
    okta.addApp({
      clientId: '0oaKeys',
      clientSecret: 'unused',
      authMethod: 'private_key_jwt',
      jwks: [{ ...key.publicJwk }],
      redirectUris: [REDIRECT_URI],
    });
    orgs = new OktaOrgs({ originOverrides: new Map([[DOMAIN, okta.origin]]) });
  });
  afterEach(() => okta.close());

  const check = (
    clientId: string,
    credential: Parameters<typeof checkClientCredential>[1]['credential'],
  ) =>
    checkClientCredential(orgs, {
      domain: DOMAIN,
      clientId,
      credential,
      redirectUri: REDIRECT_URI,
    });

  it('says accepted for the app’s key pair (invalid_grant) and refused for another key (invalid_client)', async () => {
    expect(await check('0oaKeys', keyCredential(key.privateKey, key.keyId))).toBe('accepted');
    const other = generateClientKey();
    expect(await check('0oaKeys', keyCredential(other.privateKey, other.keyId))).toBe('refused');
    expect(await check('0oaKeys', secretCredential('unused'))).toBe('refused');
  });

  it('says accepted for the right secret and refused for a wrong one or a key', async () => {
    expect(await check('0oaSecret', secretCredential('right-secret'))).toBe('accepted');
    expect(await check('0oaSecret', secretCredential('wrong-secret'))).toBe('refused');
    expect(await check('0oaSecret', keyCredential(key.privateKey, key.keyId))).toBe('refused');
  });

  it('throws, rather than saying wrong, when Okta cannot answer', async () => {
    okta.injectFault('/oauth2/v1/token', { kind: 'status', status: 503, times: 1 });
    await expect(check('0oaSecret', secretCredential('right-secret'))).rejects.toMatchObject({
      code: 'okta_unavailable',
    });
  });
});
