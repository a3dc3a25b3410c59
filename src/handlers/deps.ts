import type { AuditRepo } from '../db/auditRepo.ts';
import type { AlertChannel } from '../flows/alerts.ts';
import type { PermissionCheck } from '../flows/checkPermission.ts';
import type { FlowDeps } from '../flows/deps.ts';
import type { Logger } from '../logger.ts';
import type { Notifier } from '../slackNotifier.ts';

export interface HandlerDeps {
  flows: FlowDeps;
  checkPermission: PermissionCheck;
  notifier: Notifier;
  alerts: AlertChannel;
  audit: AuditRepo;
  logger: Logger;
}
