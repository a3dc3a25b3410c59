import type { App } from '@slack/bolt';
import { registerApiKeys } from './apiKeys.ts';
import { registerAppHome } from './appHome.ts';
import { registerCommand } from './command.ts';
import { registerConnectionTest } from './connectionTest.ts';
import { registerCreateWizard } from './createWizard.ts';
import type { HandlerDeps } from './deps.ts';
import { registerKeyRotation } from './keyRotation.ts';
import { registerOnce } from './listeners.ts';
import { registerManageConnections } from './manageConnections.ts';
import { registerScopeSearch } from './scopeSearch.ts';

/** Every Slack listener of the bot. */
export function registerHandlers(app: App, deps: HandlerDeps): void {
  registerOnce(app, (listeners) => {
    registerCommand(listeners, deps);
    registerCreateWizard(listeners, deps);
    registerManageConnections(listeners, deps);
    registerConnectionTest(listeners, deps);
    registerKeyRotation(listeners, deps);
    registerAppHome(listeners, deps);
    registerScopeSearch(listeners);
    registerApiKeys(listeners, deps);
  });
}
