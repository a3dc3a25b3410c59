import { type FailureCode, type FailureFacts, failureMessage } from '../views/messages.ts';
import type { PageResponse } from './pages/page.ts';
import { renderProblemPage } from './pages/renderProblemPage.ts';

/** The HTTP status each failure is shown with. */
const STATUS: Partial<Record<FailureCode, number>> = {
  link_unknown: 404,
  link_expired: 410,
  link_used: 410,
  state_used: 410,
  state_expired: 410,
  connection_gone: 410,
  browser_mismatch: 403,
  origin_refused: 403,
  state_unknown: 400,
  state_missing: 400,
  cookies_blocked: 400,
  okta_unreachable: 502,
  okta_unavailable: 502,
  okta_rate_limited: 503,
  okta_bad_response: 502,
};

export function problemPage(
  code: FailureCode,
  facts: FailureFacts = {},
  retryUrl?: string,
): PageResponse {
  return renderProblemPage({
    message: failureMessage(code, facts),
    status: STATUS[code] ?? 400,
    ...(retryUrl ? { retryUrl } : {}),
    ...(facts.nickname ? { nickname: facts.nickname } : {}),
  });
}
