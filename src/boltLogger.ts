import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from './logger.ts';

const toPino: Record<LogLevel, string> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

/**
 * The single-use links the bot DMs (setup page, API key page) hold their token in the
 * path; the Web API traces of `LOG_LEVEL=debug` print the DM's body, so it is cut there.
 */
const LINK_TOKEN = /(\/(?:connect|apikey)\/)[A-Za-z0-9_-]{20,}/g;

/**
 * Routes Bolt's own logging through pino, so that every line is JSON with the same
 * redaction. Bolt logs variadic arguments; they are joined into one message string, and
 * errors keep their stack under `err`.
 */
export function boltLogger(parent: Logger): BoltLogger {
  const log = parent.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  const write =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (...parts: unknown[]) => {
      // Bolt and the Web API client write debug lines on every request and call: below
      // the level, nothing is joined, serialised or searched for a link token.
      if (!log.isLevelEnabled(method)) return;
      const err = parts.find((part): part is Error => part instanceof Error);
      const msg = parts
        .filter((part) => !(part instanceof Error))
        .map((part) => (typeof part === 'string' ? part : safeJson(part)))
        .join(' ')
        .replace(LINK_TOKEN, '$1[redacted]');
      if (err) log[method]({ err }, msg || err.message);
      else log[method](msg);
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel(next: LogLevel) {
      level = next;
      log.level = toPino[next];
    },
    getLevel: () => level,
    setName() {},
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
