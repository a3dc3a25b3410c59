import type { App } from '@slack/bolt';
import { registerAppHome } from './appHome.ts';
import { registerCommand } from './command.ts';
import { registerConnectionTest } from './connectionTest.ts';
import { registerCreateWizard } from './createWizard.ts';
import type { HandlerDeps } from './deps.ts';
import { registerManageConnections } from './manageConnections.ts';

/** Every Slack listener of the bot. */
export function registerHandlers(app: App, deps: HandlerDeps): void {
  registerCommand(app, deps);
  registerCreateWizard(app, deps);
  registerManageConnections(app, deps);
  registerConnectionTest(app, deps);
  registerAppHome(app, deps);
}
