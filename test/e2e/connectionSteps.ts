import { expect } from 'vitest';
import type { Connection } from '../../src/db/connectionsRepo.ts';
import type { SlackUser, StoredMessage } from '../peers/slack/index.ts';
import { ADMIN, type Harness } from './harness.ts';
import { authorizeInBrowser, linkIn, runWizard, type WizardAnswers } from './journey.ts';

/** How many DMs the bot has sent `userId`, to wait for the next one with `dmAbout`. */
export function dmCount(h: Harness, userId: string = ADMIN): number {
  return h.slack.messagesTo(h.slack.dmChannelFor(userId)).length;
}

/** Everything a person reads in a message: the notification text and the blocks. */
export function textOf(message: { text?: string | undefined; blocks?: unknown }): string {
  return `${message.text ?? ''}\n${JSON.stringify(message.blocks ?? [])}`;
}

/**
 * The first DM to `userId` after the first `before` that mentions `about` (DMs after the
 * callback are sent without waiting for Slack, so they are polled for, as `lastDm` does).
 */
export async function dmAbout(
  h: Harness,
  before: number,
  about: string,
  userId: string = ADMIN,
): Promise<StoredMessage> {
  const channel = h.slack.dmChannelFor(userId);
  for (let i = 0; i < 300; i += 1) {
    const found = h.slack
      .messagesTo(channel)
      .slice(before)
      .find((message) => textOf(message).includes(about));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no DM to ${userId} about ${about} after the first ${before}`);
}

export async function connectionNamed(h: Harness, nickname: string): Promise<Connection> {
  const connection = await h.bot.flows.connections.findByNickname(
    h.slack.identity.teamId,
    nickname,
  );
  if (!connection) throw new Error(`no connection named ${nickname}`);
  return connection;
}

/** The row as stored, deleted or not: status and whether each sealed column holds a value. */
export function storedRow(h: Harness, id: string) {
  const row = h
    .sqlite()
    .prepare(
      'SELECT status, status_code, client_secret, access_token, refresh_token FROM connections WHERE id = ?',
    )
    .get(id) as Record<string, string | null> | undefined;
  if (!row) throw new Error(`no row for ${id}`);
  return {
    status: row.status,
    statusCode: row.status_code,
    sealed: {
      clientSecret: row.client_secret !== null,
      accessToken: row.access_token !== null,
      refreshToken: row.refresh_token !== null,
    },
  };
}

/** The create wizard up to the DM with the setup link, for a pending connection. */
export async function requestSetupLink(
  h: Harness,
  answers: WizardAnswers & { nickname: string },
): Promise<{ link: string; connection: Connection; dm: StoredMessage }> {
  const before = dmCount(h);
  const last = await runWizard(h, answers);
  expect(last.outcome).toMatchObject({ kind: 'updated', view: { callback_id: 'connect_done' } });
  const dm = await dmAbout(h, before, `Finish connecting ${answers.nickname}`);
  return { link: linkIn(dm), connection: await connectionNamed(h, answers.nickname), dm };
}

/** A connection taken all the way to `active`, as the admin would. */
export async function connectActive(
  h: Harness,
  answers: WizardAnswers & { nickname: string },
): Promise<Connection> {
  const { link } = await requestSetupLink(h, answers);
  const before = dmCount(h);
  const { callback } = await authorizeInBrowser(h, link);
  expect(callback.status).toBe(200);
  await dmAbout(h, before, `${answers.nickname} is connected`);
  const connection = await connectionNamed(h, answers.nickname);
  expect(connection.status).toBe('active');
  return connection;
}

/** A slash command that opens a modal; resolves once the modal is open. */
export async function openModalWith(h: Harness, user: SlackUser, text: string) {
  const opened = h.slack.callCount('views.open');
  const response = await user.command(text);
  expect(response.status).toBe(200);
  await h.slack.waitForCalls('views.open', opened + 1);
  return user.currentView();
}
