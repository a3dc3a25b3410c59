import type { ConnectionStatus } from '../db/connectionModel.ts';
import {
  actions,
  button,
  context,
  type KnownBlock,
  message,
  type SlackMessage,
  section,
} from './blocks.ts';
import { utcTime } from './formatTime.ts';
import { ACTION } from './ids.ts';
import type { AdminMessage } from './messages.ts';
import { bold, code, codeList, escapeValue, truncate } from './mrkdwn.ts';
import { simpleNotice } from './notices.ts';

export type TestCallResult =
  | { kind: 'ok' }
  | { kind: 'insufficient_scope'; scope: string }
  | { kind: 'forbidden_by_role'; errorCode: string }
  | { kind: 'rate_limited'; resetAt: number | null }
  | { kind: 'invalid_token' }
  | { kind: 'not_found' }
  | { kind: 'failed'; reason: string };

export interface TestCall {
  /** `userinfo` or a resource family. */
  target: string;
  path: string;
  /** false for the family of a requested scope that Okta did not grant. */
  granted: boolean;
  result: TestCallResult;
}

interface Named {
  connectionId: string;
  nickname: string;
  domain: string;
}

/** What `/okta-connect test NAME` found, or why it could not run. */
export type TestResult =
  | (Named & {
      ok: true;
      login: string | null;
      calls: readonly TestCall[];
      notProbed: readonly string[];
      dropped: readonly string[];
      missingScopes: readonly string[];
    })
  | { ok: false; code: 'not_found' }
  | (Named & {
      ok: false;
      code: 'not_active';
      status: ConnectionStatus;
      statusText: string | null;
    })
  | (Named & { ok: false; code: 'needs_reauth'; statusText: string | null })
  | (Named & { ok: false; code: 'token_unavailable'; reason: string });

/** A page of call lines stays well inside a section (3000) and Slack's ~13k per message. */
const LINES_PER_SECTION_MAX = 2_800;
const LINE_MAX = 300;

/** The ephemeral answer (or DM) to a test: one line per call, then what to do. */
export function testResultMessage(result: TestResult): SlackMessage {
  if (!result.ok) return simpleNotice(problem(result));
  const worked = result.calls.filter((call) => call.result.kind === 'ok').length;
  const name = escapeValue(result.nickname, 80);
  const headline = `${bold(result.nickname, 80)} (${code(result.domain, 200)}): ${worked} of ${result.calls.length} calls to Okta worked${
    result.login ? `, acting as ${escapeValue(result.login, 100)}` : ''
  }.`;
  const blocks: KnownBlock[] = [section(headline)];
  for (const chunk of chunks(result.calls.map(callLine))) blocks.push(section(chunk));
  if (result.notProbed.length > 0) {
    blocks.push(
      context(
        `Not tested (no read without an object id): ${result.notProbed.map((family) => escapeValue(family, 60)).join(', ')}`,
      ),
    );
  }
  const advice = whatToDo(result);
  if (advice.length > 0) {
    blocks.push(section(`*What to do:*\n${advice.join('\n')}`));
    blocks.push(
      actions(
        [
          button({
            text: 'Reauthorize',
            actionId: ACTION.connReauth,
            value: result.connectionId,
            style: 'primary',
          }),
        ],
        `test_actions:${result.connectionId}`,
      ),
    );
  } else {
    blocks.push(context('Every call Okta was asked answered as it should.'));
  }
  const summary = `Test of ${name}: ${worked} of ${result.calls.length} calls worked${
    result.missingScopes.length > 0
      ? `; missing ${escapeValue(result.missingScopes.join(', '), 200)}`
      : ''
  }.`;
  return message(summary, blocks);
}

function callLine(call: TestCall): string {
  const what =
    call.target === 'userinfo'
      ? `token (${code(call.path, 100)})`
      : `${escapeValue(call.target, 60)} (${code(`GET ${call.path}`, 150)})`;
  const notGranted = call.granted ? '' : ', requested but not granted';
  const result = call.result;
  let line: string;
  switch (result.kind) {
    case 'ok':
      line = `✅ ${what}: ok`;
      break;
    case 'insufficient_scope':
      line = `⛔ ${what}: Insufficient Scope, Okta wants ${code(result.scope, 100)}${notGranted}`;
      break;
    case 'forbidden_by_role':
      line = `⛔ ${what}: forbidden by the Okta account’s admin role (${escapeValue(result.errorCode, 20)})`;
      break;
    case 'invalid_token':
      line = `⛔ ${what}: Okta refused the access token (invalid_token)`;
      break;
    case 'rate_limited':
      line = `⚠️ ${what}: rate limited by Okta (429)${result.resetAt ? ` until ${utcTime(result.resetAt)}` : ''}`;
      break;
    case 'not_found':
      line = `⚠️ ${what}: Okta answered 404, this org does not offer that endpoint`;
      break;
    case 'failed':
      line = `⚠️ ${what}: failed, ${escapeValue(result.reason, 150)}`;
      break;
  }
  return truncate(line, LINE_MAX);
}

/** Lines joined into section texts that each stay under the section limit. */
function chunks(lines: readonly string[]): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current && current.length + 1 + line.length > LINES_PER_SECTION_MAX) {
      out.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) out.push(current);
  return out;
}

function whatToDo(result: Extract<TestResult, { ok: true }>): string[] {
  const name = escapeValue(result.nickname, 60);
  const reauth = `\`/okta-connect reauth ${name}\``;
  const advice: string[] = [];
  if (result.missingScopes.length > 0) {
    advice.push(
      `• Grant ${codeList(result.missingScopes, 600)} on the app’s *Okta API Scopes* tab in the Okta Admin Console, then reauthorize (${reauth}); a scope the connection does not request yet is added with \`/okta-connect scopes ${name}\`. Until then the connection stays active for what it was granted, marked as needing attention, and its channel has been told.`,
    );
  }
  const otherDropped = result.dropped.filter((scope) => !result.missingScopes.includes(scope));
  if (otherDropped.length > 0) {
    advice.push(
      `• Okta did not grant ${codeList(otherDropped, 600)}, which the connection requests: grant them on the same tab, then reauthorize.`,
    );
  }
  const kinds = new Set(result.calls.map((call) => call.result.kind));
  if (kinds.has('forbidden_by_role')) {
    advice.push(
      `• The Okta account that authorized the connection lacks the admin permission for some calls (E0000006): reauthorize with a super admin (${reauth}).`,
    );
  }
  if (kinds.has('invalid_token')) {
    advice.push(
      `• Okta refused the connection’s token even after a refresh: reauthorize (${reauth}).`,
    );
  }
  if (kinds.has('rate_limited') || kinds.has('failed')) {
    advice.push('• Some calls did not get through to Okta: test again in a few minutes.');
  }
  return advice;
}

function problem(result: Extract<TestResult, { ok: false }>): AdminMessage {
  if (result.code === 'not_found') {
    return {
      title: 'This connection no longer exists',
      text: 'The connection was deleted, so there is nothing to test.',
      next: 'See `/okta-connect list`.',
    };
  }
  const reauth = `/okta-connect reauth ${result.nickname}`;
  switch (result.code) {
    case 'not_active':
      return {
        title: `${result.nickname} cannot be tested now`,
        text: `${notActiveText(result.status)}${result.statusText ? ` (${result.statusText})` : ''}. A test needs a working connection.`,
        next:
          result.status === 'pending'
            ? 'Finish the sign-in from the link in your DM, then test again.'
            : `Reauthorize it with ${reauth}, then test again.`,
      };
    case 'needs_reauth':
      return {
        title: `${result.nickname} needs reauthorization`,
        text: `Refreshing its token before the test, Okta refused${result.statusText ? `: ${result.statusText}` : '.'} Its channel has been told.`,
        next: `A super admin must reauthorize it with ${reauth}.`,
      };
    case 'token_unavailable':
      return {
        title: `${result.nickname} could not be tested`,
        text: result.reason,
        next: `Try again in a few minutes; if it keeps failing, reauthorize with ${reauth}.`,
      };
  }
}

function notActiveText(status: ConnectionStatus): string {
  switch (status) {
    case 'needs_reauth':
      return 'It needs reauthorization';
    case 'pending':
      return 'It is waiting for the sign-in at Okta';
    case 'failed':
      return 'Its authorization failed';
    case 'deleted':
      return 'It was deleted';
    case 'active':
      return 'It is active';
  }
}
