import { csrfFrom, HttpBrowser } from '../../test/e2e/httpBrowser.ts';
import { type SlackPeer, SlackUser } from '../../test/peers/slack/index.ts';
import { CHANNEL_ID, CLIENT_ID, CLIENT_SECRET, SIGNING_SECRET } from '../lib/fixtures.ts';
import { latencyOf, round } from '../lib/stats.ts';

export interface JourneyResult {
  concurrency: number;
  journeys: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** How often the driver looks for the bot's modal and DM; adds at most this per wait. */
const POLL_MS = 2;

async function waitFor<T>(
  what: string,
  probe: () => T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`journey: no ${what} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function expectKind(step: string, outcome: { kind: string }, kind: string): void {
  if (outcome.kind !== kind)
    throw new Error(`journey: ${step} ${JSON.stringify(outcome).slice(0, 300)}`);
}

/**
 * One admin creating a connection, as the e2e suite's journey does it over HTTP:
 * `/okta-connect` → org step → details → permissions → the DM's setup link → secret →
 * Okta's /authorize (auto sign-in redirects straight back) → callback page.
 */
async function journey(slack: SlackPeer, requestUrl: string, userId: string, nickname: string) {
  const user = new SlackUser({
    peer: slack,
    requestUrl,
    signingSecret: SIGNING_SECRET,
    userId,
    channelId: CHANNEL_ID,
  });
  const before = slack.currentView(userId)?.id;
  const dmsBefore = slack.messagesTo(userId).length;
  const command = await user.command('');
  if (command.status !== 200) throw new Error(`journey: command answered ${command.status}`);
  await waitFor('modal', () => {
    const view = slack.currentView(userId);
    return view && view.id !== before && view.callback_id === 'connect_org' ? view : undefined;
  });
  expectKind(
    'org step',
    (await user.submit({ prereqs: ['assigned', 'scopes_granted', 'super_admin'] })).outcome,
    'pushed',
  );
  expectKind(
    'details',
    (await user.submit({ nickname, domain: 'https://acme.okta.com/', client_id: CLIENT_ID }))
      .outcome,
    'pushed',
  );
  expectKind('permissions', (await user.submit({ scope_mode: 'default' })).outcome, 'updated');
  // The previous journey's result DM may land after this one started: skip past it.
  const link = await waitFor('setup link', () =>
    slack
      .messagesTo(userId)
      .slice(dmsBefore)
      .map((dm) => JSON.stringify(dm.blocks).match(/"url":"([^"]+\/connect\/[^"]+)"/)?.[1])
      .find((url) => url !== undefined),
  );

  const browser = new HttpBrowser();
  const setup = await browser.get(link);
  const posted = await browser.postForm(link, {
    csrf: csrfFrom(setup.body),
    client_secret: CLIENT_SECRET,
  });
  if (posted.status !== 303 || !posted.location)
    throw new Error(`journey: setup form answered ${posted.status}`);
  const authorize = await fetch(posted.location, { redirect: 'manual' });
  const back = authorize.headers.get('location');
  await authorize.arrayBuffer();
  if (!back) throw new Error(`journey: /authorize answered ${authorize.status} without a redirect`);
  const callback = await browser.get(back);
  if (callback.status !== 200 || !callback.body.includes(nickname)) {
    throw new Error(`journey: callback answered ${callback.status}`);
  }
}

/**
 * Workload 3: complete journeys back to back on `concurrency` admins for `seconds`, after
 * one warm-up journey each; per-journey latency from the command to the callback page.
 */
export async function runJourneys(
  slack: SlackPeer,
  requestUrl: string,
  users: readonly string[],
  options: { concurrency: number; seconds: number; tag: string },
): Promise<JourneyResult> {
  let next = 0;
  const nickname = () => `${options.tag}-${next++}`;
  const slots = users.slice(0, options.concurrency);
  await Promise.all(slots.map((userId) => journey(slack, requestUrl, userId, nickname())));

  const samples: number[] = [];
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  await Promise.all(
    slots.map(async (userId) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await journey(slack, requestUrl, userId, nickname());
        samples.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    concurrency: options.concurrency,
    journeys: samples.length,
    seconds: round(seconds),
    perSecond: round(samples.length / seconds),
    ...latencyOf(samples),
  };
}
