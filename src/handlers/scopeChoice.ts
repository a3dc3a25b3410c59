import type { ScopeChoice } from '../flows/chooseScopes.ts';
import { INPUT } from '../views/ids.ts';
import { optionValue, optionValues, type StateValues, textValue } from './payloads.ts';

/** What the permissions step (create, reauthorize, edit scopes) says was chosen. */
export function readScopeChoice(values: StateValues): ScopeChoice {
  return {
    mode: optionValue(values, INPUT.scopeMode) === 'custom' ? 'custom' : 'default',
    picked: optionValues(values, INPUT.scopePick),
    typed: textValue(values, INPUT.scopeText),
  };
}
