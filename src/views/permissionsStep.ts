import type { types } from '@slack/bolt';
import type { ScopeMode } from '../db/connectionModel.ts';
import { type ScopeInfo, scopeGroups } from '../okta/scopeCatalog.ts';
import {
  context,
  type KnownBlock,
  LIMITS,
  type ModalView,
  modal,
  notesContext,
  option,
  type PlainTextOption,
  plain,
  section,
} from './blocks.ts';
import { CALLBACK, INPUT, SCOPE_MODE } from './ids.ts';
import { bold, code, codeList } from './mrkdwn.ts';

export type ScopesPurpose = 'create' | 'reauthorize' | 'edit_scopes';

const BY_PURPOSE = {
  create: { callbackId: CALLBACK.connectScopes, title: 'Permissions', submit: 'Create link' },
  reauthorize: { callbackId: CALLBACK.reauthScopes, title: 'Reauthorize', submit: 'Get link' },
  edit_scopes: { callbackId: CALLBACK.editScopes, title: 'Edit scopes', submit: 'Save scopes' },
} as const satisfies Record<ScopesPurpose, { callbackId: string; title: string; submit: string }>;

const SCOPE_TEXT_MAX = 3000;

function scopeOption(scope: ScopeInfo): PlainTextOption {
  return option(scope.name, scope.name, scope.description);
}

export interface ScopeOptionGroup {
  label: types.PlainTextElement;
  options: PlainTextOption[];
}

/**
 * Built once: the preselected `initial_options` and the options a search answers with
 * must be the same field for field, so both come from these same objects. Each option
 * keeps what a search looks in: name, description and group, lower-cased.
 */
const CATALOG = scopeGroups().map((group) => ({
  label: plain(group.label, LIMITS.optionText),
  entries: group.scopes.map((scope) => ({
    option: scopeOption(scope),
    searched: `${scope.name} ${scope.description} ${group.label}`.toLowerCase(),
  })),
}));
const OPTION_BY_NAME: ReadonlyMap<string, PlainTextOption> = new Map(
  CATALOG.flatMap((group) => group.entries).map(({ option }) => [option.value ?? '', option]),
);

/** Slack takes at most this many options in an answer to a menu's search. */
export const SCOPE_SEARCH_MAX = 100;

/**
 * The scope picker's options for what the admin has typed so far: catalog scopes whose
 * name, description or group contains every word typed, in their groups, at most
 * `SCOPE_SEARCH_MAX` (with nothing typed, the start of the catalog; typing narrows it).
 * The picker is an external select: Slack asks as the admin types, instead of the 30 kB
 * catalog travelling with every permissions step.
 */
export function scopeSearch(typed: string): ScopeOptionGroup[] {
  const words = typed
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean);
  let room = SCOPE_SEARCH_MAX;
  const found: ScopeOptionGroup[] = [];
  for (const group of CATALOG) {
    const options = group.entries
      .filter((entry) => words.every((word) => entry.searched.includes(word)))
      .slice(0, room)
      .map((entry) => entry.option);
    if (options.length === 0) continue;
    found.push({ label: group.label, options });
    room -= options.length;
    if (room === 0) break;
  }
  return found;
}

export interface PermissionsStepInput {
  purpose: ScopesPurpose;
  nickname?: string;
  domain: string;
  mode: ScopeMode;
  defaultScopes: readonly string[];
  /** Preselected: catalog scopes in the menu, the others in the text box. */
  selected: readonly string[];
  /** What the admin typed in the text box before, kept as typed. */
  manualText?: string;
  notes?: readonly string[];
  /** Reauthorizing with the connection's current scopes preselected. */
  inherited?: boolean;
  metadata: string;
}

/** Step 3 of create, and the one step of reauthorize and edit scopes: which scopes to ask for. */
export function permissionsStepView(input: PermissionsStepInput): ModalView {
  const chrome = BY_PURPOSE[input.purpose];
  const selected = [...new Set(input.selected)];
  const known = selected.flatMap((name) => OPTION_BY_NAME.get(name) ?? []);
  const unknown = selected.filter((name) => !OPTION_BY_NAME.has(name));

  const blocks: KnownBlock[] = [];
  if (input.notes && input.notes.length > 0) blocks.push(notesContext(input.notes));
  blocks.push(section(intro(input)));
  if (input.purpose === 'reauthorize' && input.inherited) {
    blocks.push(
      section(
        'Unchanged scopes are inherited: the current scopes are preselected; change them only if you need to.',
      ),
    );
  }
  if (input.purpose === 'edit_scopes') {
    blocks.push(
      section(
        `:warning: Saving marks ${input.nickname ? bold(input.nickname, 40) : 'the connection'} as needing reauthorization: Okta applies new scopes only when an admin signs in again, so reauthorize it right after saving.`,
      ),
    );
  }
  blocks.push(
    modeInput(input.mode, input.defaultScopes.length),
    context(`Default scopes: ${codeList(input.defaultScopes, 2000)}`),
    {
      type: 'input',
      block_id: INPUT.scopePick,
      optional: true,
      label: plain('Scopes (used with Customize)'),
      hint: plain(
        `Type to search the ${OPTION_BY_NAME.size} scopes of Okta's Management API and sign-in, by name or purpose.`,
      ),
      element: {
        type: 'multi_external_select',
        action_id: INPUT.scopePick,
        placeholder: plain('Search scopes, e.g. users or logs'),
        min_query_length: 0,
        ...(known.length > 0 ? { initial_options: known } : {}),
      },
    },
    {
      type: 'input',
      block_id: INPUT.scopeText,
      optional: true,
      label: plain('More scopes, typed'),
      hint: plain(
        'Separate with spaces, commas or new lines. openid and offline_access are always requested.',
      ),
      element: {
        type: 'plain_text_input',
        action_id: INPUT.scopeText,
        multiline: true,
        max_length: SCOPE_TEXT_MAX,
        placeholder: plain('Scopes that are not in the list above'),
        ...initialText(input.manualText ?? '', unknown),
      },
    },
  );
  return modal({
    callbackId: chrome.callbackId,
    title: chrome.title,
    submit: chrome.submit,
    close: 'Cancel',
    metadata: input.metadata,
    blocks,
  });
}

function intro(input: PermissionsStepInput): string {
  const who = input.nickname ? bold(input.nickname, 40) : 'the connection';
  const org = code(input.domain, 300);
  const granted =
    'Okta grants only the scopes the app has on its *Okta API Scopes* tab and silently leaves out the others; the bot tells you which.';
  switch (input.purpose) {
    case 'create':
      return `Choose what ${who} asks ${org} for. ${granted}`;
    case 'reauthorize':
      return `Reauthorizing ${who} (${org}) signs in to Okta again and replaces its tokens. ${granted}`;
    case 'edit_scopes':
      return `Change what ${who} (${org}) asks Okta for. ${granted}`;
  }
}

function modeInput(mode: ScopeMode, defaultCount: number): types.InputBlock {
  const useDefault = option(
    'Use default scopes',
    SCOPE_MODE.default,
    `The ${defaultCount} scopes listed below`,
  );
  const customize = option(
    'Customize scopes (advanced)',
    SCOPE_MODE.custom,
    'The scopes you pick or type below, instead of the defaults',
  );
  return {
    type: 'input',
    block_id: INPUT.scopeMode,
    label: plain('Scopes'),
    element: {
      type: 'radio_buttons',
      action_id: INPUT.scopeMode,
      options: [useDefault, customize],
      initial_option: mode === SCOPE_MODE.custom ? customize : useDefault,
    },
  };
}

/**
 * The typed text as it was, then the preselected scopes the menu cannot show. Cut at a
 * space when too long rather than in the middle of a scope name.
 */
function initialText(manualText: string, unknown: readonly string[]): { initial_value?: string } {
  const typed = new Set(manualText.split(/[\s,]+/).filter(Boolean));
  const text = [manualText.trim(), ...unknown.filter((name) => !typed.has(name))]
    .filter(Boolean)
    .join(' ');
  if (text === '') return {};
  if (text.length <= SCOPE_TEXT_MAX) return { initial_value: text };
  const cut = text.slice(0, SCOPE_TEXT_MAX + 1);
  const kept = cut.slice(0, Math.max(cut.search(/\s\S*$/), 0)).trimEnd();
  return kept === '' ? {} : { initial_value: kept };
}
