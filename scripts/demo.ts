/**
 * `npm run demo`: the bot between a local Okta org (the test peer) and a local Slack (the
 * Web API stand-in), on loopback, playing one admin's journey step by step and printing
 * what the admin would see in Slack and in the browser: a connection with a client secret,
 * then one with a key pair (private_key_jwt) and a rotation of its key. No Slack or Okta
 * account needed.
 */
import {
  ADMIN,
  ADMIN_PASSWORD,
  CLIENT_ID,
  CLIENT_SECRET,
  type Harness,
  ORG,
  startHarness,
} from '../test/e2e/harness.ts';
import { csrfFrom, HttpBrowser } from '../test/e2e/httpBrowser.ts';
import { publicJwkIn } from '../test/e2e/journey.ts';
import { renderBlocks, renderPage, renderView } from './demoRender.ts';

const MINUTE = 60_000;
/** A second OAuth app in the demo org, set to "Public key / Private key" in Okta. */
const KEY_PAIR_CLIENT_ID = '0oaDemoKeyPairApp';
let step = 0;

function say(title: string, body = ''): void {
  step += 1;
  process.stdout.write(
    `\n\x1b[1m${step}. ${title}\x1b[0m\n${body ? `${body.replace(/^/gm, '   ')}\n` : ''}`,
  );
}

async function waitFor<T>(read: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 300; i += 1) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`demo: timed out waiting for ${what}`);
}

function linkFrom(blocks: unknown): string {
  const match = JSON.stringify(blocks ?? []).match(/"url":"([^"]+\/connect\/[^"]+)"/);
  if (!match?.[1]) throw new Error('demo: no setup link in the DM');
  return match[1];
}

async function dmNumber(h: Harness, n: number) {
  const channel = h.slack.dmChannelFor(ADMIN);
  return waitFor(() => h.slack.messagesTo(channel)[n - 1], `DM #${n}`);
}

async function signInThroughBrowser(h: Harness, link: string) {
  const browser = new HttpBrowser();
  const setup = await browser.get(link);
  say('The admin opens the link: the bot’s setup page', renderPage(setup.body));
  const keyPair = setup.body.includes('id="public-jwk"');
  if (keyPair) {
    // What the admin does in Okta's Admin Console: "Add key", paste the JWK, Save.
    h.okta.updateApp(KEY_PAIR_CLIENT_ID, { jwks: [publicJwkIn(setup.body)] });
  }
  const posted = await browser.postForm(link, {
    csrf: csrfFrom(setup.body),
    ...(keyPair ? {} : { client_secret: CLIENT_SECRET }),
  });
  say(
    keyPair
      ? 'They paste the public key into the app in Okta (Add key, Save) and continue to Okta: no secret anywhere'
      : 'They type the client secret (never into Slack) and continue to Okta',
    `303 → ${posted.location ?? ''}`,
  );
  const signIn = await fetch(posted.location ?? '');
  say('Okta’s sign-in page', renderPage(await signIn.text()));
  const back = await h.okta.signIn(posted.location ?? '', {
    username: 'ada@acme.example',
    password: ADMIN_PASSWORD,
  });
  const callback = await browser.get(back.href);
  say('Okta sends the browser back to the bot’s callback', renderPage(callback.body));
}

/** A second connection that authenticates with a key pair, and a rotation of its key. */
async function keyPairJourney(h: Harness) {
  h.okta.addApp({
    clientId: KEY_PAIR_CLIENT_ID,
    clientSecret: 'not-used-with-keys',
    authMethod: 'private_key_jwt',
    redirectUris: [`${h.publicUrl}/oauth/okta/callback`],
    grantedScopes: [
      'okta.users.read',
      'okta.groups.read',
      'okta.roles.read',
      'okta.logs.read',
      'okta.apps.read',
      'okta.appGrants.read',
    ],
  });
  h.okta.updateUser(h.oktaUserId, { assignedTo: [CLIENT_ID, KEY_PAIR_CLIENT_ID] });
  const dms = () => h.slack.messagesTo(h.slack.dmChannelFor(ADMIN)).length;
  await h.admin.dismiss();
  const opened = h.slack.callCount('views.open');
  await h.admin.command('');
  await h.slack.waitForCalls('views.open', opened + 1);
  await h.admin.submit({ prereqs: ['assigned', 'scopes_granted', 'super_admin'] });
  const before = dms();
  const scopes = await h.admin.submit({
    nickname: 'acme-keys',
    domain: ORG,
    client_id: KEY_PAIR_CLIENT_ID,
    client_auth: 'private_key_jwt',
  });
  say(
    'A second connection, acme-keys: this time the admin picks Public key / Private key (recommended) in the details step',
    renderView(scopes.outcome.kind === 'pushed' ? (scopes.outcome.view as never) : {}),
  );
  await h.admin.submit({ scope_mode: 'default' });
  const dm = await dmNumber(h, before + 1);
  await h.admin.dismiss();
  say('The DM says there is a key to add, not a secret to type', renderBlocks(dm.blocks));
  await signInThroughBrowser(h, linkFrom(dm.blocks));

  const current = (
    await h.bot.flows.connections.findByNickname(h.slack.identity.teamId, 'acme-keys')
  )?.clientKey;
  const started = await h.admin.command('rotate-keypair acme-keys');
  const blocks = (started.body as { blocks?: unknown[] }).blocks;
  say('Months later: /okta-connect rotate-keypair acme-keys', renderBlocks(blocks));
  const fresh = JSON.stringify(blocks).match(/```(\{[^`]+\})```/)?.[1] ?? '{}';
  h.okta.updateApp(KEY_PAIR_CLIENT_ID, {
    jwks: [{ ...current }, JSON.parse(fresh.replaceAll('\\"', '"'))],
  });
  const posts = h.slack.responseUrlPosts().length;
  await h.admin.clickInMessage(
    {
      channel: 'CALERTS',
      ts: '1700000000.000100',
      text: '',
      blocks,
      threadTs: undefined,
      edits: 0,
      history: [],
    },
    'key_rotation',
    'key_rotation_confirm',
  );
  const switched = await h.slack.waitForResponseUrlPosts(posts + 1, 15_000);
  say(
    'They add the new key in Okta and press “Okta has the new key”: the bot checks that Okta accepts it, then switches',
    renderBlocks((switched?.body as { blocks?: unknown[] } | undefined)?.blocks),
  );
}

async function main() {
  let offset = 0;
  const now = () => Date.now() + offset;
  const h = await startHarness({
    now,
    grantedScopes: ['okta.users.read', 'okta.groups.read', 'okta.roles.read'],
  });
  try {
    process.stdout.write(
      `okta-connect demo — Slack stand-in ${h.slack.apiUrl}, Okta org ${ORG} at ${h.okta.origin}, bot at ${h.publicUrl}\n`,
    );

    await h.admin.command('');
    const org = await waitFor(() => h.slack.currentView(ADMIN), 'the first modal');
    say('An Okta admin types /okta-connect in #okta-alerts', renderView(org as never));
    const details = await h.admin.submit({
      prereqs: ['assigned', 'scopes_granted', 'super_admin'],
    });
    say(
      'They tick the prerequisites → details',
      renderView(details.outcome.kind === 'pushed' ? (details.outcome.view as never) : {}),
    );
    const scopes = await h.admin.submit({
      nickname: 'acme-prod',
      domain: `https://${ORG}/`,
      client_id: CLIENT_ID,
    });
    say(
      'They enter a nickname, the domain (with https:// — the bot fixes it) and the client ID → permissions',
      renderView(scopes.outcome.kind === 'pushed' ? (scopes.outcome.view as never) : {}),
    );
    await h.admin.submit({
      scope_mode: 'custom',
      scope_pick: ['okta.users.read', 'okta.roles.read', 'okta.logs.read'],
    });
    const dm = await dmNumber(h, 1);
    await h.admin.dismiss();
    say(
      'They pick scopes (okta.logs.read is not granted to the app in Okta) → the bot DMs a link',
      renderBlocks(dm.blocks),
    );

    await signInThroughBrowser(h, linkFrom(dm.blocks));
    const result = await dmNumber(h, 2);
    say('The same result arrives in Slack', renderBlocks(result.blocks));

    const list = await h.admin.command('list');
    say('/okta-connect list', renderBlocks((list.body as { blocks?: unknown[] }).blocks));

    const posted = h.slack.responseUrlPosts().length;
    await h.admin.command('test acme-prod');
    const tested = await h.slack.waitForResponseUrlPosts(posted + 1, 15_000);
    say(
      '/okta-connect test acme-prod: userinfo, then one read per scope family (logs was dropped)',
      renderBlocks((tested?.body as { blocks?: unknown[] } | undefined)?.blocks),
    );

    h.okta.revokeTokens({ clientId: CLIENT_ID });
    offset += 55 * MINUTE;
    h.okta.clock.advance(55 * MINUTE);
    say('Later an Okta admin revokes the app’s tokens in Okta; the health sweep runs…');
    const report = await h.bot.health.runNow();
    const alert = await waitFor(() => h.slack.messagesTo('CALERTS')[0], 'the alert');
    say(
      `…finds the refresh token refused (${JSON.stringify(report)}) and posts in #okta-alerts`,
      renderBlocks(alert.blocks),
    );

    // The test said okta.logs.read is missing: until the app has it, reauthorizing leaves
    // the connection needing attention and the alert open.
    h.okta.updateApp(CLIENT_ID, {
      grantedScopes: ['okta.users.read', 'okta.groups.read', 'okta.roles.read', 'okta.logs.read'],
    });
    say(
      'In Okta, the admin grants okta.logs.read on the app’s Okta API Scopes tab, as the test said',
    );
    const opened = h.slack.callCount('views.open');
    await h.admin.command('reauth acme-prod');
    await h.slack.waitForCalls('views.open', opened + 1);
    const reauth = await waitFor(() => h.slack.currentView(ADMIN), 'the reauthorize modal');
    say(
      'The admin clicks Reauthorize (or /okta-connect reauth acme-prod)',
      renderView(reauth as never),
    );
    await h.admin.submit({});
    const link = await dmNumber(h, 3);
    await signInThroughBrowser(h, linkFrom(link.blocks));
    const [resolved, reply] = await waitFor(() => {
      const messages = h.slack.messagesTo('CALERTS');
      return messages.length >= 2 ? messages : undefined;
    }, 'the resolved alert');
    say(
      'The alert in #okta-alerts is resolved, with a reply in its thread',
      `${renderBlocks(resolved?.blocks)}\n  ↳ ${renderBlocks(reply?.blocks)}`,
    );
    await keyPairJourney(h);
    process.stdout.write('\nDone: the connection is active again. Everything ran on 127.0.0.1.\n');
  } finally {
    await h.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
