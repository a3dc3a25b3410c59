import { expect } from 'vitest';
import type { SlackPeer, SlackUser, StoredMessage } from '../peers/slack/index.ts';

/** The URL of the key page in the DM about a new key. */
export function keyLinkIn(message: StoredMessage | undefined): string {
  const text = JSON.stringify(message?.blocks ?? []);
  const match = text.match(/"url":"([^"]+\/apikey\/[^"]+)"/);
  if (!match?.[1]) throw new Error(`no key link in ${text.slice(0, 500)}`);
  return match[1];
}

/** The key shown on its page. */
export function keyOnPage(html: string): string {
  const match = html.match(/<code id="api-key">([^<]+)<\/code>/);
  if (!match?.[1]) throw new Error('no key on the page');
  return match[1];
}

export interface KeyChoice {
  /** Connection ids; none: every connection. */
  connections?: string[];
  actions: ('read' | 'write' | 'token')[];
  expiry?: '7' | '30' | '90' | '365' | 'never';
}

/**
 * `/okta-connect apikey new NAME`, the modal filled in and submitted, the DM's link
 * opened once: the key page's URL, the page and the key on it.
 */
export async function createKeyInSlack(
  peer: SlackPeer,
  user: SlackUser,
  userId: string,
  name: string,
  choice: KeyChoice,
): Promise<{ link: string; key: string; page: string; dm: StoredMessage }> {
  const { link, dm } = await requestKeyLink(peer, user, userId, name, choice);
  const answer = await fetch(link);
  expect(answer.status).toBe(200);
  const page = await answer.text();
  return { link, key: keyOnPage(page), page, dm };
}

/** `/okta-connect apikey new NAME` up to the DM with the key page's link, not opened. */
export async function requestKeyLink(
  peer: SlackPeer,
  user: SlackUser,
  userId: string,
  name: string,
  choice: KeyChoice,
): Promise<{ link: string; dm: StoredMessage }> {
  const opened = peer.callCount('views.open');
  const command = await user.command(`apikey new ${name}`);
  expect(command.status).toBe(200);
  await peer.waitForCalls('views.open', opened + 1);
  const channel = peer.dmChannelFor(userId);
  const before = peer.messagesTo(channel).length;
  const submitted = await user.submit({
    ...(choice.connections ? { key_connections: choice.connections } : {}),
    key_actions: choice.actions,
    key_expiry: choice.expiry ?? '90',
  });
  expect(submitted.outcome).toMatchObject({ kind: 'updated' });
  let dm: StoredMessage | undefined;
  for (let i = 0; i < 300 && !dm; i += 1) {
    dm = peer
      .messagesTo(channel)
      .slice(before)
      .find((m) => JSON.stringify(m.blocks).includes('/apikey/'));
    if (!dm) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { link: keyLinkIn(dm), dm: dm as StoredMessage };
}
