import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADMIN, CLIENT_SECRET, type Harness } from '../e2e/harness.ts';
import { csrfFrom, HttpBrowser, type PageAnswer } from '../e2e/httpBrowser.ts';
import type { StoredMessage } from '../peers/slack/index.ts';
import { eventually } from '../waitUntil.ts';
import {
  hostileHarness,
  hostileText,
  htmlEscaped,
  mrkdwnTexts,
  newSetupLink,
  rawHttp,
  tagSequence,
  unsafeMrkdwn,
  wellFormed,
} from './support.ts';

const RUNS = 50;
const FORM_LIMIT = 16 * 1024;
const SECRET_SHAPE = /^[\x21-\x7e]{1,200}$/;

/** Setup page open in a browser: the link, the browser with its cookie, the csrf value. */
async function openSetup(h: Harness, nickname: string) {
  const { link, connection } = newSetupLink(h, nickname);
  const browser = new HttpBrowser();
  const page = await browser.get(link);
  expect(page.status).toBe(200);
  return { link, connection, browser, page, csrf: csrfFrom(page.body) };
}

/** Markup is the bot's alone: input may change the words, never the elements. */
function expectSameMarkup(page: PageAnswer, reference: PageAnswer): void {
  const tags = (answer: PageAnswer) => tagSequence(answer.body).filter((tag) => tag !== 'code');
  expect(tags(page)).toEqual(tags(reference));
}

describe('hostile input on the bot’s own pages', () => {
  let h: Harness;
  let run = 0;
  const nextName = (prefix: string) => {
    run += 1;
    return `${prefix}-${run}`;
  };

  hostileHarness({}, (started) => {
    h = started;
  });

  it('answers every setup form post with the redirect to Okta, a page that says what is wrong, or 413 — never a 500, never the secret', async () => {
    // The pages each refusal shows, posted by a well-behaved browser.
    const missing = await openSetup(h, nextName('form'));
    const refSecretProblem = await missing.browser.postForm(missing.link, {
      csrf: missing.csrf,
      client_secret: '',
    });
    const forged = await openSetup(h, nextName('form'));
    const refForged = await forged.browser.postForm(forged.link, { csrf: 'x', client_secret: 'y' });
    expect([refSecretProblem.status, refForged.status]).toEqual([400, 403]);

    const secret = fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(CLIENT_SECRET, ` ${CLIENT_SECRET}\n`, 'a') },
      { weight: 1, arbitrary: fc.stringMatching(/^[\x21-\x7e]{1,220}$/) },
      { weight: 3, arbitrary: hostileText() },
    );
    const csrf = fc.oneof(
      { weight: 3, arbitrary: fc.constant('real') },
      { weight: 1, arbitrary: hostileText({ maxLength: 300 }) },
    );
    await fc.assert(
      fc.asyncProperty(fc.option(secret), fc.option(csrf), async (typed, csrfChoice) => {
        // Each run spends its own link: a good post uses it up.
        const setup = await openSetup(h, nextName('form'));
        const fields: Record<string, string> = {};
        if (csrfChoice !== null) fields.csrf = csrfChoice === 'real' ? setup.csrf : csrfChoice;
        if (typed !== null) fields.client_secret = typed;
        const size = Buffer.byteLength(new URLSearchParams(fields).toString());
        const answer = await setup.browser.postForm(setup.link, fields);

        const trimmed = (typed ?? '').trim();
        if (size > FORM_LIMIT) {
          expect(answer.status).toBe(413);
        } else if (fields.csrf !== setup.csrf) {
          expect(answer.status).toBe(403);
          expectSameMarkup(answer, refForged);
        } else if (!SECRET_SHAPE.test(trimmed)) {
          expect(answer.status).toBe(400);
          expectSameMarkup(answer, refSecretProblem);
        } else if (trimmed === CLIENT_SECRET) {
          expect(answer.status).toBe(303);
          expect(answer.location?.startsWith(`${h.okta.origin}/oauth2/v1/authorize?`)).toBe(true);
        } else {
          // Well formed but not the app's: Okta refuses it before anyone is sent on.
          expect(answer.status).toBe(400);
          expect(answer.body).toContain('Okta refused this client ID and secret');
        }
        // A secret is never shown back, not even escaped.
        if (trimmed.length >= 8 && !setup.page.body.includes(trimmed)) {
          expect(answer.body).not.toContain(trimmed);
          expect(answer.body).not.toContain(htmlEscaped(trimmed));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('answers any method, path and body on its routes without a 500 and keeps running', async () => {
    const { link } = newSetupLink(h, nextName('raw'));
    const linkPath = new URL(link).pathname;
    const segment = fc.constantFrom(
      '%',
      '%E0%A4%A',
      '%ZZ',
      '%00',
      '%C0%AF',
      '%F0%9F%98%80',
      '%2e%2e',
      '..',
      '.',
      '%2F',
      '%5C',
      '\\',
      'connect',
      'oauth',
      'okta',
      'callback',
      'healthz',
      'slack',
      'events',
      '?state=',
      '&code=',
      '=',
      '#',
      ';',
      '@',
      ':',
      'x'.repeat(64),
      linkPath.slice(1),
    );
    const path = fc
      .tuple(
        fc.constantFrom('/', '//', '/connect/', '/oauth/okta/callback?'),
        fc.array(segment),
        fc.constantFrom('/', ''),
      )
      .map(([start, parts, joint]) => start + parts.join(joint));
    const body = fc.oneof(
      fc.constant(undefined),
      fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)),
      hostileText({ maxLength: 20_000 }).map((text) => Buffer.from(text)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'),
        path,
        body,
        fc.constantFrom(
          'application/x-www-form-urlencoded',
          'application/json',
          'multipart/form-data; boundary=x',
          'text/html',
        ),
        async (method, target, payload, contentType) => {
          const answer = await rawHttp(h.publicUrl, {
            method,
            path: target,
            headers: { 'Content-Type': contentType },
            ...(payload && method !== 'GET' && method !== 'HEAD' ? { body: payload } : {}),
          });
          expect(answer.status, `${method} ${target}`).toBeLessThan(500);
        },
      ),
      { numRuns: 100 },
    );
    const malformed = await rawHttp(h.publicUrl, { method: 'GET', path: '/connect/%E0%A4%A' });
    expect(malformed.status).toBe(400);
    const slashes = await rawHttp(h.publicUrl, { method: 'GET', path: '//' });
    expect(slashes.status).toBe(400);
  });

  it('shows any stored nickname escaped on the setup page, in the list, on the Home tab and in the delete dialog', async () => {
    const teamId = h.slack.identity.teamId;
    // Only the connection under test is listed: the list shows one page.
    for (let page = h.bot.flows.connections.listByTeam(teamId); page.length > 0; ) {
      for (const connection of page) h.bot.flows.connections.markDeleted(connection.id);
      page = h.bot.flows.connections.listByTeam(teamId);
    }
    const reference = await openSetup(h, 'plain-name');
    h.bot.flows.connections.markDeleted(reference.connection.id);
    await fc.assert(
      fc.asyncProperty(hostileText({ maxLength: 3000 }), async (hostile) => {
        const nickname = `${hostile} ${nextName('n')}`;
        const setup = await openSetup(h, nickname);
        try {
          expectSameMarkup(setup.page, reference.page);
          // As stored: SQLite keeps a lone surrogate as bytes that read back as U+FFFD.
          const stored = h.bot.flows.connections.findById(teamId, setup.connection.id);
          expect(setup.page.body).toContain(htmlEscaped(stored?.nickname ?? ''));

          const list = await h.admin.command('list');
          expect(list.status).toBe(200);
          expect(mrkdwnTexts(list.body, true).flatMap(unsafeMrkdwn)).toEqual([]);
          const shown = list.body as { text?: string; blocks: unknown[] };
          const message: StoredMessage = {
            channel: 'CALERTS',
            ts: '1700000000.000100',
            text: shown.text,
            blocks: shown.blocks,
            threadTs: undefined,
            edits: 0,
            history: [],
          };
          const opened = h.slack.callCount('views.open');
          const click = await h.admin.clickInMessage(
            message,
            `conn_actions:${setup.connection.id}`,
            'conn_delete',
          );
          expect(click.status).toBe(200);
          await h.slack.waitForCalls('views.open', opened + 1);
          const published = h.slack.callCount('views.publish');
          await h.admin.openHome();
          await h.slack.waitForCalls('views.publish', published + 1);
        } finally {
          h.bot.flows.connections.markDeleted(setup.connection.id);
        }
      }),
      { numRuns: 30 },
    );
    expect(h.bot.flows.connections.countByTeam(teamId)).toBe(0);
  });

  it('shows what Okta put in error and error_description escaped on the callback page and in the DM', async () => {
    /** Up to the Okta redirect, then back to the callback with Okta's error instead of a code. */
    async function callbackWith(error: string, description: string) {
      const setup = await openSetup(h, nextName('cb'));
      const posted = await setup.browser.postForm(setup.link, {
        csrf: setup.csrf,
        client_secret: CLIENT_SECRET,
      });
      expect(posted.status).toBe(303);
      const state = new URL(posted.location ?? '').searchParams.get('state') ?? '';
      const back = new URL(`${h.publicUrl}/oauth/okta/callback`);
      back.searchParams.set('state', state);
      back.searchParams.set('error', error);
      back.searchParams.set('error_description', description);
      return setup.browser.get(back.href);
    }
    const dms = () => h.slack.messagesTo(h.slack.dmChannelFor(ADMIN)).length;
    const reference = await callbackWith('server_error', 'Something broke.');
    expect(reference.status).toBe(400);
    expect(reference.body).toContain('Okta said: Something broke.');

    let sent = dms();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 3, arbitrary: fc.constant('server_error') },
          { weight: 1, arbitrary: hostileText({ maxLength: 250 }) },
        ),
        // Within what a URL can carry (Node refuses request lines over 16 kB with 431),
        // and now and then over the 2,000 characters the bot keeps of it.
        fc.oneof(
          { weight: 5, arbitrary: hostileText({ maxLength: 1200 }) },
          { weight: 1, arbitrary: fc.constant('<!channel> '.repeat(250)) },
        ),
        async (error, description) => {
          const page = await callbackWith(error, description);
          // 502 is the bot's own answer to something Okta should not have sent.
          expect([400, 403, 410, 502]).toContain(page.status);
          if (error === 'server_error') {
            expect(page.status).toBe(400);
            expectSameMarkup(page, reference);
            // Backticks become <code> on the page, as in every message text.
            const shown = description.slice(0, 2000);
            if (shown.trim() !== '' && !shown.includes('`')) {
              expect(page.body).toContain(htmlEscaped(wellFormed(shown)));
            }
          }
          sent += 1;
        },
      ),
      { numRuns: 40 },
    );
    // Every refusal was also sent to the admin's DM, within Slack's limits and escaped.
    await eventually(() => dms() >= sent, 'the DMs about the refused sign-ins');
  });
});
