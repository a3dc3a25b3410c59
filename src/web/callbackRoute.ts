import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { type AlertChannel, incidentOf, raiseAlert, resolveAlert } from '../flows/alerts.ts';
import { type CallbackOutcome, completeAuthorization } from '../flows/completeAuthorization.ts';
import type { FlowDeps } from '../flows/deps.ts';
import type { Notifier } from '../slackNotifier.ts';
import { warningMessage } from '../views/messages.ts';
import { resultMessage } from '../views/resultMessage.ts';
import { parseCookies, sendPage } from './http.ts';
import { renderResultPage } from './pages/renderResultPage.ts';
import { problemPage } from './problemPages.ts';
import { BROWSER_COOKIE } from './setupRoutes.ts';

/** Runs work that goes on after the page is answered (the DM, the alert), so shutdown waits for it. */
export type AfterAnswer = <T>(work: () => Promise<T>) => Promise<T>;

/**
 * `GET /oauth/okta/callback`: Okta sends the admin's browser back here (design §5).
 * `onChange` hears, by team, of every callback about a connection (which may now be
 * active, or failed after a first authorization), so the Home tabs showing it follow.
 */
export function callbackRoute(
  flows: FlowDeps,
  notifier: Notifier,
  alerts: AlertChannel,
  onChange: (teamId: string) => void,
  afterAnswer: AfterAnswer,
): CustomRoute {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const requested = new URL(req.url ?? '/', 'http://callback.invalid');
    const query = Object.fromEntries(requested.searchParams);
    // openid-client compares the redirect URI with the one registered, so the URL is
    // rebuilt from PUBLIC_URL rather than from what a proxy passed on as Host.
    const callbackUrl = new URL(flows.settings.redirectUri);
    callbackUrl.search = requested.search;
    const outcome = await completeAuthorization(flows, {
      query,
      callbackUrl,
      browserBinding: parseCookies(req.headers.cookie).get(BROWSER_COOKIE),
    });
    await report(flows, outcome);
    tell(notifier, outcome, afterAnswer);
    if (outcome.connection) onChange(outcome.connection.teamId);
    if (outcome.ok) {
      // Fire and forget like the DM: the page does not wait for Slack. A scope still
      // missing keeps the alert open, edited to say so; otherwise it is resolved.
      const { connection } = outcome;
      const incident = incidentOf(connection);
      const settled = afterAnswer(() =>
        incident
          ? raiseAlert(flows, alerts, connection, incident)
          : resolveAlert(flows, alerts, connection, outcome.slackUserId),
      );
      void settled.catch((error: unknown) =>
        flows.logger.warn({ err: error }, 'could not update the alert'),
      );
      return sendPage(
        res,
        renderResultPage({
          nickname: connection.nickname,
          domain: connection.domain,
          purpose: outcome.purpose,
          granted: outcome.granted,
          dropped: outcome.dropped,
          warnings: outcome.warnings.map((warning) => warningMessage(warning.code)),
          authorizedLogin: connection.authorizedLogin,
        }),
      );
    }
    return sendPage(res, problemPage(outcome.code, outcome.facts, outcome.retryUrl));
  };
  return {
    path: '/oauth/okta/callback',
    method: ['GET'],
    handler: (req, res) => {
      handle(req, res).catch((error: unknown) => {
        flows.logger.error({ err: error }, 'callback failed');
        if (!res.headersSent) sendPage(res, problemPage('okta_error'));
      });
    },
  };
}

/** Refused callbacks that a person may be behind are audited (design: forged or replayed state). */
async function report(flows: FlowDeps, outcome: CallbackOutcome): Promise<void> {
  if (outcome.ok) return;
  flows.logger.info(
    { code: outcome.code, connectionId: outcome.connection?.id },
    'callback did not complete',
  );
  if (!outcome.suspicious && outcome.code !== 'state_used') return;
  await flows.audit.record({
    teamId: outcome.connection?.teamId ?? 'unknown',
    connectionId: outcome.connection?.id ?? null,
    actor: outcome.slackUserId ?? 'unknown',
    action: 'callback.refused',
    details: { reason: outcome.code },
  });
}

/** The same result goes to the admin's DM; the page does not wait for Slack. */
function tell(notifier: Notifier, outcome: CallbackOutcome, afterAnswer: AfterAnswer): void {
  if (!outcome.slackUserId || (!outcome.ok && outcome.code === 'state_used')) return;
  const message = outcome.ok
    ? resultMessage({
        ok: true,
        nickname: outcome.connection.nickname,
        domain: outcome.connection.domain,
        purpose: outcome.purpose,
        granted: outcome.granted,
        dropped: outcome.dropped,
        warnings: outcome.warnings,
        authorizedLogin: outcome.connection.authorizedLogin,
      })
    : resultMessage({
        ok: false,
        code: outcome.code,
        facts: outcome.facts,
        ...(outcome.connection
          ? { nickname: outcome.connection.nickname, domain: outcome.connection.domain }
          : {}),
        ...(outcome.retryUrl ? { retryUrl: outcome.retryUrl } : {}),
      });
  const userId = outcome.slackUserId;
  void afterAnswer(() => notifier.dm(userId, message));
}
