import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OktaPeer, startOktaPeer } from '../peers/okta/index.ts';
import type { SlackUser } from '../peers/slack/index.ts';
import { CLIENT_ID, freePort } from './harness.ts';
import { sharedHarness } from './slackChecks.ts';

/** Slack drops a view submission that is not answered within 3 seconds. */
const SLACK_WINDOW_MS = 3000;

/** `/okta-connect`, the org step, then the details step with `domain`; returns Slack's outcome. */
async function submitDomain(
  user: SlackUser,
  h: {
    slack: { callCount(m: string): number; waitForCalls(m: string, n: number): Promise<unknown> };
  },
  nickname: string,
  domain: string,
) {
  const opened = h.slack.callCount('views.open');
  await user.command('');
  await h.slack.waitForCalls('views.open', opened + 1);
  await user.submit({ prereqs: ['assigned', 'scopes_granted', 'super_admin'] });
  const started = Date.now();
  const details = await user.submit({ nickname, domain, client_id: CLIENT_ID });
  return { outcome: details.outcome, ms: Date.now() - started };
}

/** Slack shows the details step again with `text` under the domain field, and nothing else. */
function expectDomainError(outcome: unknown, text: string): void {
  expect(outcome).toMatchObject({
    kind: 'errors',
    errors: { domain: expect.stringContaining(text) },
  });
  expect(Object.keys((outcome as { errors: object }).errors)).toEqual(['domain']);
}

/** The next discovery request to `peer` gets `status`. */
function answerDiscoveryOnce(peer: OktaPeer, status: number): void {
  peer.injectFault('/.well-known/openid-configuration', { kind: 'status', status, times: 1 });
}

describe('the details step checks that the domain answers as an Okta org', () => {
  // One origin per case: the bot caches a discovery document per origin once it is read.
  let stray: OktaPeer;
  let slowOrg: OktaPeer;
  const closedPort = freePort();
  const origins: Record<string, string> = {};
  beforeAll(async () => {
    stray = await startOktaPeer();
    slowOrg = await startOktaPeer();
    origins['acme-prd.okta.com'] = `http://127.0.0.1:${await closedPort}`;
    origins['wrong.okta.com'] = stray.origin;
    origins['slow.okta.com'] = slowOrg.origin;
  });
  afterAll(async () => {
    await stray?.close();
    await slowOrg?.close();
  });
  const harness = sharedHarness({ moreOrigins: origins });

  it('goes on when the domain answers as the Okta org, and the setup page reuses the discovery document', async () => {
    const h = harness();
    const { outcome } = await submitDomain(h.admin, h, 'answers-fine', 'acme.okta.com');
    expect(outcome).toMatchObject({ kind: 'pushed' });
    expect(h.okta.countRequests('/.well-known/openid-configuration')).toBe(1);
  });

  it('says a domain that nothing answers on does not answer as an Okta org', async () => {
    const h = harness();
    const { outcome } = await submitDomain(h.admin, h, 'no-answer', 'acme-prd.okta.com');
    expectDomainError(
      outcome,
      'acme-prd.okta.com does not answer as an Okta org (no server answered): check the spelling in your Admin Console URL',
    );
  });

  it('says a domain that answers 404 does not answer as an Okta org', async () => {
    const h = harness();
    answerDiscoveryOnce(stray, 404);
    const { outcome } = await submitDomain(h.admin, h, 'answers-404', 'wrong.okta.com');
    expectDomainError(outcome, 'it answers 404');
    expect(stray.countRequests('/.well-known/openid-configuration', 404)).toBe(1);
  });

  it('says a domain whose discovery names another issuer answers as another authorization server', async () => {
    const h = harness();
    stray.announceIssuer('https://acme.okta.com/oauth2/default');
    try {
      const { outcome } = await submitDomain(h.admin, h, 'other-issuer', 'wrong.okta.com');
      expectDomainError(
        outcome,
        'wrong.okta.com answers as another authorization server, not as the org https://wrong.okta.com itself',
      );
    } finally {
      stray.announceIssuer(null);
    }
  });

  it('lets the admin go on within Slack’s window when Okta is slow, and says the check could not be made', async () => {
    const h = harness();
    slowOrg.injectFault('/.well-known/openid-configuration', { kind: 'delay', ms: 20_000 });
    try {
      const { outcome, ms } = await submitDomain(h.admin, h, 'slow-org', 'slow.okta.com');
      expect(ms).toBeLessThan(SLACK_WINDOW_MS);
      expect(outcome).toMatchObject({ kind: 'pushed' });
      expect(JSON.stringify(h.admin.currentView().blocks)).toContain(
        'The bot could not check that slow.okta.com answers as an Okta org (it did not answer within 2 seconds)',
      );
    } finally {
      slowOrg.clearFaults();
    }
  });

  it('goes on, saying so, when Okta is rate limiting the bot', async () => {
    const h = harness();
    answerDiscoveryOnce(stray, 429);
    const { outcome } = await submitDomain(h.admin, h, 'rate-limited', 'wrong.okta.com');
    expect(outcome).toMatchObject({ kind: 'pushed' });
    expect(JSON.stringify(h.admin.currentView().blocks)).toContain('Okta is rate limiting the bot');
  });
});
