import { type Logger, pino } from 'pino';
import { currentContext } from './requestContext.ts';

export type { Logger };

/**
 * Fields that may carry a secret wherever they appear in a log object. Redaction is the
 * second line of defence: code never logs a whole row, request or token response.
 */
export const REDACT_PATHS = [
  'clientSecret',
  'client_secret',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'codeVerifier',
  'code_verifier',
  'pkceVerifier',
  'password',
  'token',
  'authorization',
  'cookie',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.clientSecret',
  '*.client_secret',
  '*.accessToken',
  '*.access_token',
  '*.refreshToken',
  '*.refresh_token',
  '*.idToken',
  '*.id_token',
  '*.codeVerifier',
  '*.password',
  '*.token',
];

export function createLogger(
  level: string,
  destination?: NodeJS.WritableStream | pino.DestinationStream,
): Logger {
  const options = {
    level,
    base: { service: 'okta-connect' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Every line carries the id of the request or job it belongs to.
    mixin: () => currentContext(),
  };
  return destination ? pino(options, destination) : pino(options);
}
