import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeWizard, encodeWizard, type WizardState } from '../../src/handlers/wizardState.ts';
import {
  ADMIN,
  CLIENT_ID,
  type Harness,
  ORG,
  SIGNING_SECRET,
  startHarness,
} from '../e2e/harness.ts';
import { type ViewLike, viewSubmission } from '../peers/slack/index.ts';
import {
  expectAlive,
  expectSlackCallsSafe,
  type FetchRecord,
  readModalAnswer,
  recordFetches,
  viewOf,
} from './support.ts';

/** Hosts that are not an Okta org, as an admin might paste them or an attacker type them. */
const HOSTILE_DOMAINS = [
  '127.0.0.1',
  'http://127.0.0.1:8080',
  'localhost',
  'LOCALHOST.',
  'okta.localhost',
  'acme.okta.com.evil.com',
  'acme.okta.com@evil.com',
  'https://acme.okta.com@evil.com/',
  'user:pass@acme.okta.com',
  'acme.okta.com:8443',
  'acme.okta.com/.well-known/openid-configuration',
  'acme.okta.com#@evil.com',
  'acme.okta.com\\@evil.com',
  'acme.okta.com?@evil.com',
  'acme.okta.com%2f@evil.com',
  '[::1]',
  '[::ffff:127.0.0.1]',
  '::1',
  'xn--kta-ki1a.okta.com',
  'acme.xn--okta-9ua.com',
  'xn--80ak6aa92e.com',
  'аcme.okta.com', // Cyrillic а
  'acme.ｏｋｔａ.com', // full-width
  'acme.o\u212Ata.com', // Kelvin sign, lower-cases to k
  '2130706433',
  '0x7f.1',
  '0x7f000001',
  '0177.0.0.1',
  '127.1',
  '169.254.169.254',
  'metadata.google.internal',
  'evil.com',
  'okta.com',
  'a.b.okta.com',
  'acme.okta.com.',
  'acme..okta.com',
  '-acme.okta.com',
  'acme_prod.okta.com',
  'acme.okta.co',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'acme.okta.com\u0000.evil.com',
  'acme.okta.com evil.com',
] as const;

/** What may get past the details step: an org name and an Okta-hosted suffix. */
const OKTA_ORG_HOST =
  /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.(?:okta\.com|oktapreview\.com|okta-emea\.com|okta-gov\.com|okta\.mil|okta-miltest\.com|trex-gov\.com)$/;

/** A server that would answer as Okta for every hostile host: it must never hear a thing. */
async function startTrap(): Promise<{ server: Server; origin: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.headers.host}${req.url}`);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}`, hits };
}

describe('domains that are not an Okta org', () => {
  let h: Harness;
  let trap: Awaited<ReturnType<typeof startTrap>>;
  let fetches: { records: FetchRecord[]; restore(): void };
  let detailsView: ViewLike;
  let permissionsView: ViewLike;

  /** The peer's requests before the tests: the details step of beforeAll asked for ORG's discovery. */
  let oktaBaseline = 0;

  /**
   * Requests this process made anywhere but the bot's own request URL and pages, or the
   * one request an accepted host gets: its discovery document (the org check).
   */
  const outbound = () =>
    fetches.records.filter((record) => {
      const url = new URL(record.url);
      const orgCheck =
        record.method === 'GET' &&
        OKTA_ORG_HOST.test(url.hostname) &&
        url.origin === `https://${url.hostname}` &&
        url.pathname === '/.well-known/openid-configuration';
      return url.origin !== h.publicUrl && !orgCheck;
    });

  async function submitDetails(domain: string) {
    const request = viewSubmission({
      signingSecret: SIGNING_SECRET,
      userId: ADMIN,
      teamId: h.slack.identity.teamId,
      view: detailsView,
      stateValues: {
        nickname: { nickname: { type: 'plain_text_input', value: 'hostile-domain' } },
        domain: { domain: { type: 'plain_text_input', value: domain } },
        client_id: { client_id: { type: 'plain_text_input', value: CLIENT_ID } },
        notify_channel: {
          notify_channel: { type: 'conversations_select', selected_conversation: 'CALERTS' },
        },
      },
    });
    const response = await request.send(h.requestUrl);
    return readModalAnswer(response, detailsView, Buffer.byteLength(request.body));
  }

  beforeAll(async () => {
    trap = await startTrap();
    // Lower-casing makes the Kelvin-sign host the real org's name: that one stays the peer's.
    const overrides = Object.fromEntries(
      HOSTILE_DOMAINS.map((domain) => domain.toLowerCase())
        .filter((domain) => domain !== ORG)
        .map((domain) => [domain, trap.origin]),
    );
    h = await startHarness({ moreOrigins: overrides });
    await h.admin.command('');
    await h.slack.waitForCalls('views.open', 1);
    await h.admin.submit({ prereqs: ['assigned', 'scopes_granted', 'super_admin'] });
    detailsView = h.admin.currentView();
    await h.admin.submit({ nickname: 'shape-only', domain: 'acme.okta.com', client_id: CLIENT_ID });
    permissionsView = h.admin.currentView();
    oktaBaseline = h.okta.requests.length;
    fetches = recordFetches({ offline: true });
  });
  afterAll(async () => {
    fetches?.restore();
    await h?.close();
    await new Promise((resolve) => trap?.server.close(resolve));
  });
  afterEach(async () => {
    expect(outbound(), 'no request left this process for Okta or anyone else').toEqual([]);
    expect(trap.hits).toEqual([]);
    expect(h.okta.requests.slice(oktaBaseline)).toEqual([]);
    await expectAlive(h);
    expectSlackCallsSafe(h);
    h.slack.clearCalls();
  });

  it('refuses each at the details step with a message that shows the expected form, before any network call', async () => {
    for (const domain of HOSTILE_DOMAINS) {
      if (domain === 'acme.okta.com.') continue;
      const answer = await submitDetails(domain);
      expect(answer, domain).toMatchObject({ kind: 'errors' });
      const errors = (answer as { errors: Record<string, string> }).errors;
      expect(Object.keys(errors), domain).toEqual(['domain']);
      expect(errors.domain, domain).toMatch(/acme\.okta\.com/);
    }
  });

  it('accepts a trailing dot or capitals only as the same Okta host, and says what it changed', async () => {
    const answer = await submitDetails('HTTPS://ACME-ADMIN.OKTA.COM./');
    expect(answer).toMatchObject({ kind: 'push', view: { callback_id: 'connect_scopes' } });
    const carried = decodeWizard(String(viewOf(answer).private_metadata));
    expect(carried?.domain).toBe('acme.okta.com');
    expect(JSON.stringify(viewOf(answer).blocks)).toContain('Removed https://');
  });

  it('lets nothing but an Okta org host through, whatever the pieces are made of', async () => {
    const piece = fc.constantFrom(
      'https://',
      'http://',
      '//',
      'user:pass@',
      '@',
      'acme',
      '-admin',
      '.okta.com',
      '.oktapreview.com',
      '.evil.com',
      'okta.com',
      '127.0.0.1',
      'localhost',
      '[::1]',
      '0x7f',
      '2130706433',
      'xn--80ak6aa92e',
      ':443',
      '/',
      '#',
      '?',
      '\\',
      '%2e',
      '.',
      'а',
      'K',
      ' ',
      '\t',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 7 }), async (parts) => {
        const answer = await submitDetails(parts.join(''));
        if (answer.kind === 'errors') {
          expect(Object.keys(answer.errors)).toEqual(['domain']);
          return;
        }
        expect(answer).toMatchObject({ kind: 'push' });
        const carried = decodeWizard(String(viewOf(answer).private_metadata));
        expect(carried?.domain).toMatch(OKTA_ORG_HOST);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses the same hosts carried in a tampered form to the last step, creating nothing', async () => {
    const real = decodeWizard(String(permissionsView.private_metadata)) as WizardState;
    const before = h.bot.flows.connections.countByTeam(h.slack.identity.teamId);
    for (const [i, domain] of HOSTILE_DOMAINS.entries()) {
      if (domain === 'acme.okta.com.') continue;
      const view = {
        ...permissionsView,
        id: `VHOSTILE${i}`,
        private_metadata: encodeWizard({ ...real, nickname: `tampered-${i}`, domain }),
      };
      const request = viewSubmission({
        signingSecret: SIGNING_SECRET,
        userId: ADMIN,
        teamId: h.slack.identity.teamId,
        view,
        stateValues: {
          scope_mode: {
            scope_mode: { type: 'radio_buttons', selected_option: { value: 'default' } },
          },
        },
      });
      const answer = readModalAnswer(await request.send(h.requestUrl), view, 0);
      expect(answer, domain).toMatchObject({ kind: 'update', view: { callback_id: 'notice' } });
    }
    expect(h.bot.flows.connections.countByTeam(h.slack.identity.teamId)).toBe(before);
    expect(h.slack.callCount('chat.postMessage')).toBe(0);
  });
});
