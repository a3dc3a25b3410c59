import type { JsonWebKey } from 'node:crypto';
import { expect } from 'vitest';
import type { OktaPeer } from '../peers/okta/index.ts';
import type { SlackPeer, SlackUser, StoredMessage, ViewLike } from '../peers/slack/index.ts';
import { ADMIN_PASSWORD, CLIENT_ID, CLIENT_SECRET, type Harness, ORG } from './harness.ts';
import { csrfFrom, HttpBrowser, type PageAnswer } from './httpBrowser.ts';

/** The URL of the first link button in a DM the bot sent. */
export function linkIn(message: StoredMessage | undefined): string {
  const text = JSON.stringify(message?.blocks ?? []);
  const match = text.match(/"url":"([^"]+\/connect\/[^"]+)"/);
  if (!match?.[1]) throw new Error(`no setup link in ${text.slice(0, 500)}`);
  return match[1];
}

export async function lastDm(h: Harness, userId: string, count: number): Promise<StoredMessage> {
  const channel = h.slack.dmChannelFor(userId);
  for (let i = 0; i < 200; i += 1) {
    const messages = h.slack.messagesTo(channel);
    if (messages.length >= count) return messages[count - 1] as StoredMessage;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`expected ${count} DMs to ${userId}, got ${h.slack.messagesTo(channel).length}`);
}

export interface WizardAnswers {
  nickname?: string;
  domain?: string;
  clientId?: string;
  clientAuth?: 'client_secret_basic' | 'private_key_jwt';
  scopeMode?: 'default' | 'custom';
  pick?: string[];
  typed?: string;
}

/** `/okta-connect` and the first two wizard steps; returns the permissions step (not submitted). */
export async function toScopesStep(
  h: { slack: SlackPeer },
  user: SlackUser,
  answers: WizardAnswers = {},
): Promise<ViewLike> {
  const opened = h.slack.callCount('views.open');
  const command = await user.command('');
  expect(command.status).toBe(200);
  await h.slack.waitForCalls('views.open', opened + 1);
  const org = await user.submit({ prereqs: ['assigned', 'scopes_granted', 'super_admin'] });
  expect(org.outcome).toMatchObject({ kind: 'pushed' });
  const details = await user.submit({
    nickname: answers.nickname ?? 'acme-prod',
    domain: answers.domain ?? `https://${ORG}/`,
    client_id: answers.clientId ?? CLIENT_ID,
    ...(answers.clientAuth ? { client_auth: answers.clientAuth } : {}),
  });
  expect(details.outcome).toMatchObject({ kind: 'pushed' });
  return user.currentView();
}

/** `/okta-connect` through the three modal steps, as the admin would click them. */
export async function runWizard(h: Harness, answers: WizardAnswers = {}, user = h.admin) {
  await toScopesStep(h, user, answers);
  const scopes = await user.submit({
    scope_mode: answers.scopeMode ?? 'default',
    ...(answers.pick ? { scope_pick: answers.pick } : {}),
    ...(answers.typed !== undefined ? { scope_text: answers.typed } : {}),
  });
  return scopes;
}

/** Setup page → secret → Okta sign-in → callback, in one browser. */
export async function authorizeInBrowser(
  h: { okta: OktaPeer },
  link: string,
  options: {
    /** null: a key-pair connection's page, which has no secret field. */
    secret?: string | null;
    browser?: HttpBrowser;
    signIn?: { username: string; password: string } | { cancel: true };
    /** Runs once the page has sent the browser on to Okta, before the sign-in there. */
    afterPost?: () => void;
  } = {},
): Promise<{ setup: PageAnswer; posted: PageAnswer; callback: PageAnswer; browser: HttpBrowser }> {
  const browser = options.browser ?? new HttpBrowser();
  const setup = await browser.get(link);
  expect(setup.status).toBe(200);
  const posted = await browser.postForm(link, {
    csrf: csrfFrom(setup.body),
    ...(options.secret === null ? {} : { client_secret: options.secret ?? CLIENT_SECRET }),
  });
  expect(
    posted.status,
    posted.body.match(/<h1[^>]*>([^<]*)/)?.[1] ?? posted.body.slice(0, 300),
  ).toBe(303);
  options.afterPost?.();
  const back = await h.okta.signIn(
    posted.location ?? '',
    options.signIn ?? { username: 'ada@acme.example', password: ADMIN_PASSWORD },
  );
  const callback = await browser.get(back.href);
  return { setup, posted, callback, browser };
}

/** Setup page → secret → Okta sign-in, stopping where Okta sends the browser back. */
export async function reachCallback(h: { okta: OktaPeer }, link: string) {
  const browser = new HttpBrowser();
  const setup = await browser.get(link);
  const csrf = csrfFrom(setup.body);
  const posted = await browser.postForm(link, { csrf, client_secret: CLIENT_SECRET });
  expect(posted.status).toBe(303);
  const back = await h.okta.signIn(posted.location ?? '', {
    username: 'ada@acme.example',
    password: ADMIN_PASSWORD,
  });
  return { browser, csrf, callbackUrl: back.href };
}

/** The public JWK a key-pair setup page shows, as the admin copies it into Okta. */
export function publicJwkIn(body: string): JsonWebKey & { kid: string } {
  const match = body.match(/<code id="public-jwk">([^<]+)<\/code>/);
  if (!match?.[1]) throw new Error('no public key on the page');
  return JSON.parse(match[1].replaceAll('&quot;', '"')) as JsonWebKey & { kid: string };
}
