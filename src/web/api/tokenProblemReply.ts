import type { TokenProblem } from '../../flows/freshAccessToken.ts';
import { type ApiReply, errorReply } from './apiEndpoint.ts';

/** Why a tool gets no token, as HTTP: the same answers from the token endpoint and the proxy. */
export function tokenProblemReply(problem: TokenProblem): ApiReply {
  switch (problem.code) {
    case 'gone':
      return errorReply(404, 'not_found');
    case 'busy':
      return errorReply(503, 'busy', {}, { 'Retry-After': '1' });
    case 'needs_reauth':
    case 'not_active': {
      const { connection } = problem;
      return errorReply(409, problem.code, {
        status: connection.status,
        reason: connection.statusCode,
        reason_text: connection.statusText,
      });
    }
    case 'no_refresh_token':
      return errorReply(409, 'no_refresh_token', { status: problem.connection.status });
    case 'okta_unavailable':
      return errorReply(
        503,
        'okta_unavailable',
        { reason: problem.error.code },
        { 'Retry-After': String(problem.retryAfterSeconds) },
      );
    case 'okta_error':
      return errorReply(502, 'okta_error', { reason: problem.error.code });
  }
}
