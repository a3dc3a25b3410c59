import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMAND } from '../../src/handlers/command.ts';
import { eventListeners, METHOD_SCOPES, sourceFiles, webApiCalls } from './codeScan.ts';

/**
 * `manifest.yml` against Slack's JSON Schema (`../shared`, beside the repository) and
 * against the code: the command, the request URLs, App Home, events and bot scopes.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCHEMAS = new URL('../../../shared/data/slack-manifest-schema/', import.meta.url);
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const SLACK_PATH = '/slack/events';

const readJson = (relative: string) =>
  JSON.parse(readFileSync(new URL(relative, SCHEMAS), 'utf8')) as Record<string, unknown>;

/** The top-level chooser, with the versioned schemas it `$ref`s registered under their URLs. */
function manifestValidator() {
  // Strict, except that Slack's chooser writes `required` without `type: object` beside
  // it; Slack's own annotations are declared as keywords that check nothing.
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  for (const keyword of ['_note', 'regex', 'requires']) ajv.addKeyword(keyword);
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  for (const version of ['1.0.0', '2.0.0']) {
    ajv.addSchema(
      readJson(`schemas/manifest.schema.${version}.json`),
      `https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.${version}.json`,
    );
  }
  return ajv.compile(readJson('manifest.schema.json'));
}

interface Manifest {
  features: {
    app_home?: { home_tab_enabled?: boolean };
    slash_commands?: { command: string; url?: string }[];
  };
  oauth_config: { scopes: { bot?: string[] } };
  settings: {
    event_subscriptions?: { request_url?: string; bot_events?: string[] };
    interactivity?: {
      is_enabled: boolean;
      request_url?: string;
      message_menu_options_url?: string;
    };
  };
}

const manifestText = readFileSync(new URL('manifest.yml', `file://${ROOT}`), 'utf8');
const manifest = parse(manifestText) as Manifest;
const files = sourceFiles(SRC);

describe('manifest.yml against Slack’s schema', () => {
  const validate = manifestValidator();

  it('tells a valid manifest from an invalid one (Slack’s own examples)', () => {
    expect(validate(readJson('examples/manifest.v1.valid.json'))).toBe(true);
    expect(validate(readJson('examples/manifest.v1.invalid.json'))).toBe(false);
  });

  it('is valid', () => {
    const valid = validate(manifest);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });
});

describe('manifest.yml against the code', () => {
  const requestUrls = [
    ...(manifest.features.slash_commands ?? []).map((command) => command.url),
    manifest.settings.event_subscriptions?.request_url,
    manifest.settings.interactivity?.request_url,
    manifest.settings.interactivity?.message_menu_options_url,
  ];

  it('declares the slash command the handler listens to', () => {
    expect(manifest.features.slash_commands?.map((command) => command.command)).toEqual([COMMAND]);
  });

  it(`sends commands, events, interactions and menu searches to ${SLACK_PATH}, on one origin the header comment names`, () => {
    const urls = requestUrls.map((url) => new URL(url ?? 'missing:'));
    expect(urls.map((url) => url.pathname)).toEqual(urls.map(() => SLACK_PATH));
    const origins = new Set(urls.map((url) => url.origin));
    expect(origins.size).toBe(1);
    expect(manifestText.split('\n')[0]).toContain([...origins][0]);
  });

  it('enables interactivity, which the modals and buttons need', () => {
    expect(manifest.settings.interactivity?.is_enabled).toBe(true);
  });

  it('gives Slack an options URL exactly when the code serves a menu search', () => {
    const searches = files.filter((file) => /\bapp\.options\(/.test(readFileSync(file, 'utf8')));
    expect(searches.map((file) => file.replace(ROOT, ''))).toEqual(['src/handlers/scopeSearch.ts']);
    expect(manifest.settings.interactivity?.message_menu_options_url).toBeDefined();
  });

  it('enables the Home tab and subscribes to app_home_opened', () => {
    expect(manifest.features.app_home?.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions?.bot_events).toContain('app_home_opened');
  });

  it('subscribes to exactly the events the code listens to', () => {
    const listened = eventListeners(files, ROOT).map((event) => event.name);
    expect(listened).toContain('app_home_opened');
    expect([...(manifest.settings.event_subscriptions?.bot_events ?? [])].sort()).toEqual(listened);
  });

  it('finds the Web API calls the bot makes', () => {
    const methods = webApiCalls(files, ROOT).map((call) => call.name);
    expect(methods).toEqual(
      expect.arrayContaining([
        'chat.postMessage',
        'conversations.open',
        'users.info',
        'views.open',
      ]),
    );
  });

  it('asks for every bot scope the code’s Web API calls need, and no other', () => {
    const calls = webApiCalls(files, ROOT);
    const unknown = calls.filter((call) => METHOD_SCOPES[call.name] === undefined);
    expect(unknown, 'add these methods and their scopes to METHOD_SCOPES').toEqual([]);
    const needed = new Set(calls.flatMap((call) => METHOD_SCOPES[call.name] ?? []));
    // Slash commands need `commands`.
    if ((manifest.features.slash_commands ?? []).length > 0) needed.add('commands');
    const listed = manifest.oauth_config.scopes.bot ?? [];
    const missing = [...needed]
      .filter((scope) => !listed.includes(scope))
      .map((scope) => ({
        scope,
        neededBy: calls.filter((call) => METHOD_SCOPES[call.name]?.includes(scope)),
      }));
    expect(missing, 'scopes the code needs that manifest.yml lacks').toEqual([]);
    const unused = listed.filter((scope) => !needed.has(scope));
    expect(unused, 'scopes manifest.yml asks for that no code uses').toEqual([]);
  });
});
