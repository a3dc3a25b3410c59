import { type TestOutcome, testConnection } from '../flows/testConnection.ts';
import type { SlackMessage } from '../views/blocks.ts';
import { ACTION } from '../views/ids.ts';
import { escapeValue } from '../views/mrkdwn.ts';
import { simpleNotice } from '../views/notices.ts';
import { type TestResult, testResultMessage } from '../views/testResultMessage.ts';
import type { HandlerDeps } from './deps.ts';
import { allowClick } from './guard.ts';
import type { Listeners } from './listeners.ts';
import { readClick } from './payloads.ts';
import { replyTo } from './replyTo.ts';

/** What the slash command answers at once: the calls to Okta take longer than Slack's 3 s. */
export function testingMessage(nickname: string): SlackMessage {
  const name = escapeValue(nickname, 80);
  return simpleNotice({
    title: `Testing ${nickname}`,
    text: `Calling Okta with ${name}: userinfo, then one read per resource family of its scopes.`,
    next: 'The result follows here in a moment.',
  });
}

/**
 * Runs the test and hands the result to `deliver` (the command's response_url, a
 * message's, or a DM). A bug in the test still gets an answer; the Home tab is
 * republished, since a test can mark a connection or find it needs reauthorization.
 */
export async function runConnectionTest(
  deps: HandlerDeps,
  input: { teamId: string; userId: string; connectionId: string },
  deliver: (message: SlackMessage) => Promise<void>,
): Promise<void> {
  let message: SlackMessage;
  try {
    const outcome = await testConnection(deps.flows, deps.alerts, {
      teamId: input.teamId,
      connectionId: input.connectionId,
      actor: input.userId,
    });
    message = testResultMessage(toResult(outcome));
  } catch (error) {
    deps.logger.error({ err: error, connectionId: input.connectionId }, 'connection test failed');
    message = simpleNotice({
      title: 'The test could not finish',
      text: 'Something went wrong in the bot while testing; the error was logged.',
      next: 'Try again in a minute; if it keeps failing, ask whoever runs the bot to check its logs.',
    });
  }
  deps.home.refresh(input.teamId);
  await deliver(message);
}

function toResult(outcome: TestOutcome): TestResult {
  if (outcome.ok) {
    const { connection } = outcome;
    return {
      ok: true,
      connectionId: connection.id,
      nickname: connection.nickname,
      domain: connection.domain,
      login: outcome.login,
      calls: outcome.calls,
      notProbed: outcome.notProbed,
      dropped: outcome.dropped,
      missingScopes: outcome.missingScopes,
    };
  }
  if (outcome.code === 'not_found') return outcome;
  const { connection } = outcome;
  const named = {
    connectionId: connection.id,
    nickname: connection.nickname,
    domain: connection.domain,
  };
  switch (outcome.code) {
    case 'not_active':
      return {
        ...named,
        ok: false,
        code: 'not_active',
        status: connection.status,
        statusText: connection.statusText,
      };
    case 'needs_reauth':
      return { ...named, ok: false, code: 'needs_reauth', statusText: connection.statusText };
    case 'token_unavailable':
      return { ...named, ok: false, code: 'token_unavailable', reason: outcome.reason };
  }
}

/** The *Test* button, in the list message and in the Home tab (value: the connection id). */
export function registerConnectionTest(app: Listeners, deps: HandlerDeps): void {
  app.action(ACTION.connTest, async ({ ack, body, respond }) => {
    await ack();
    const click = readClick(body);
    if (!click) return;
    const { teamId, userId } = click;
    const who = { userId, body, respond };
    if (!(await allowClick(deps, { teamId, ...who }, 'button test'))) return;
    await runConnectionTest(
      deps,
      { teamId, userId, connectionId: click.data.actions[0]?.value ?? '' },
      (message) => replyTo(deps, who, message),
    );
  });
}
