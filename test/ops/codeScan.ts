import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * What the bot's source asks of Slack, read statically: the Web API methods it calls and
 * the events it listens to. The manifest test compares them with `manifest.yml`.
 */

/**
 * The bot-token scope each Web API method needs (docs.slack.dev/reference/methods/…);
 * an empty list: none. A method missing here fails the manifest test until it is added.
 */
export const METHOD_SCOPES: Record<string, readonly string[]> = {
  'auth.test': [],
  'chat.delete': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'conversations.open': ['im:write'],
  'users.info': ['users:read'],
  'views.open': [],
  'views.publish': [],
  'views.push': [],
  'views.update': [],
};

/** The Web API's method families, so that `client.chat.postMessage(` and `web.views.open(` are found. */
const FAMILIES = [
  'admin',
  'apps',
  'assistant',
  'auth',
  'bookmarks',
  'bots',
  'canvases',
  'chat',
  'conversations',
  'dnd',
  'emoji',
  'files',
  'functions',
  'pins',
  'reactions',
  'reminders',
  'search',
  'team',
  'usergroups',
  'users',
  'views',
  'workflows',
];
const CALL = new RegExp(
  `\\.(${FAMILIES.join('|')})\\s*\\.\\s*([a-zA-Z]+(?:\\.[a-zA-Z]+)?)\\s*\\(`,
  'g',
);
const API_CALL = /\.apiCall\(\s*['"`]([a-zA-Z.]+)['"`]/g;
const EVENT = /\.event\(\s*['"`]([a-z_.]+)['"`]/g;

export interface Found {
  name: string;
  /** `path:line` of each place it appears. */
  at: string[];
}

export function sourceFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts'))
    .map((path) => join(root, path))
    .sort();
}

function scan(
  files: string[],
  base: string,
  patterns: RegExp[],
  name: (m: RegExpExecArray) => string,
) {
  const found = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        const line = text.slice(0, match.index).split('\n').length;
        const key = name(match);
        found.set(key, [...(found.get(key) ?? []), `${relative(base, file)}:${line}`]);
      }
    }
  }
  return [...found]
    .map(([key, at]): Found => ({ name: key, at }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Web API methods called in `files` (`chat.postMessage`, …), with where. */
export function webApiCalls(files: string[], base: string): Found[] {
  return scan(files, base, [CALL, API_CALL], (m) =>
    m[2] === undefined ? (m[1] ?? '') : `${m[1]}.${m[2]}`,
  );
}

/** Event types the code listens to with `app.event('…')`. */
export function eventListeners(files: string[], base: string): Found[] {
  return scan(files, base, [EVENT], (m) => m[1] ?? '');
}
