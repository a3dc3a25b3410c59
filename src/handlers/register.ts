import type { App } from '@slack/bolt';
import { registerAppHome } from './appHome.ts';
import { registerCommand } from './command.ts';
import { registerConnectionTest } from './connectionTest.ts';
import { registerCreateWizard } from './createWizard.ts';
import type { HandlerDeps } from './deps.ts';
import { createHomeRefresher, type HomeRefresher } from './homeRefresher.ts';
import { registerManageConnections } from './manageConnections.ts';

/**
 * Every Slack listener of the bot. Returns the Home refresher the handlers use: the one
 * in `deps`, or one made here so open Home tabs follow the changes made from Slack.
 */
export function registerHandlers(app: App, deps: HandlerDeps): { home: HomeRefresher } {
  const home =
    deps.home ??
    createHomeRefresher({
      flows: deps.flows,
      checkPermission: deps.checkPermission,
      client: app.client,
      logger: deps.logger,
    });
  const withHome: HandlerDeps = { ...deps, home };
  registerCommand(app, withHome);
  registerCreateWizard(app, withHome);
  registerManageConnections(app, withHome);
  registerConnectionTest(app, withHome);
  registerAppHome(app, withHome, home);
  return { home };
}
