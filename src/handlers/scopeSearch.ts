import { INPUT } from '../views/ids.ts';
import { scopeSearch } from '../views/permissionsStep.ts';
import type { Listeners } from './listeners.ts';

/** Slack sends what was typed in a menu's search; nobody types more than this in one. */
const TYPED_MAX = 200;

/**
 * The scope picker's search (an external select in the permissions step of create,
 * reauthorize and edit scopes). It answers from the public scope catalog only, so it
 * reads nothing of the workspace's and needs no permission check; the submission that
 * uses the picked scopes is checked as every submission is.
 */
export function registerScopeSearch(app: Listeners): void {
  app.options(INPUT.scopePick, async ({ ack, payload }) => {
    const typed = (payload as { value?: unknown }).value;
    const groups = scopeSearch(typeof typed === 'string' ? typed.slice(0, TYPED_MAX) : '');
    await ack(groups.length > 0 ? { option_groups: groups } : { options: [] });
  });
}
