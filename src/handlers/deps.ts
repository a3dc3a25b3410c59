import type { AlertChannel } from '../flows/alerts.ts';
import type { PermissionCheck } from '../flows/checkPermission.ts';
import type { FlowDeps } from '../flows/deps.ts';
import type { Logger } from '../logger.ts';
import type { Notifier } from '../slackNotifier.ts';
import type { HomeRefresher } from './homeRefresher.ts';

export interface HandlerDeps {
  flows: FlowDeps;
  checkPermission: PermissionCheck;
  notifier: Notifier;
  alerts: AlertChannel;
  logger: Logger;
  /** Keeps open Home tabs current; shared with the callback and the sweep. */
  home: HomeRefresher;
}
