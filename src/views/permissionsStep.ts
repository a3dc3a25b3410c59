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

/**
 * Built once: `initial_options` must equal options of the menu field for field, so both
 * come from these same objects.
 */
const OPTION_GROUPS: { label: types.PlainTextElement; options: PlainTextOption[] }[] =
  scopeGroups().map((group) => ({
    label: plain(group.label, LIMITS.optionText),
    options: group.scopes.map(scopeOption),
  }));
const OPTION_BY_NAME: ReadonlyMap<string, PlainTextOption> = new Map(
  OPTION_GROUPS.flatMap((group) => group.options).map((o) => [o.value ?? '', o]),
);

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
      element: {
        type: 'multi_static_select',
        action_id: INPUT.scopePick,
        placeholder: plain('Choose scopes'),
        option_groups: OPTION_GROUPS,
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
