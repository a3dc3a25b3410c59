import { type Logger, pino } from 'pino';
import { currentContext } from './requestContext.ts';

export type { Logger };

/**
 * Names of fields that hold a secret in this code base, in Okta's spelling and the bot's:
 * OAuth credentials and tokens, the PKCE verifier, the setup link and browser binding,
 * Slack and encryption keys. Each is censored at the top of a log object and one level
 * down (`{ err: { accessToken } }`, `{ tokens: { id_token } }`).
 */
const SECRET_FIELDS = [
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
  'linkToken',
  'browserBinding',
  'apiKey',
  'botToken',
  'appToken',
  'signingSecret',
  'encryptionKey',
  'encryptionKeysPrevious',
];

/**
 * Headers that carry credentials, as Node receives them (lower case) and as code sends
 * them; censored as fields too, and inside `headers`, `req.headers`, `res.headers` and any
 * object's `headers`.
 */
const SECRET_HEADERS = [
  'authorization',
  'Authorization',
  'proxy-authorization',
  'Proxy-Authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'Set-Cookie',
];

/** A path step: `.name`, or `["set-cookie"]` for a name that is not an identifier. */
const step = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `["${name}"]`);

/**
 * Redaction is the second line of defence: code never logs a whole row, request or token
 * response, and opened secrets are not enumerable (`secretBag`).
 */
const REDACT_PATHS = [
  ...[...SECRET_FIELDS, ...SECRET_HEADERS].flatMap((name) => [
    step(name).replace(/^\./, ''),
    `*${step(name)}`,
  ]),
  ...['headers', 'req.headers', 'res.headers', '*.headers'].flatMap((parent) =>
    SECRET_HEADERS.map((name) => `${parent}${step(name)}`),
  ),
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
