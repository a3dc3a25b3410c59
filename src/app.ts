import type { Server } from 'node:http';
import { App, type CustomRoute, HTTPReceiver, webApi } from '@slack/bolt';
import { boltLogger } from './boltLogger.ts';
import type { Config } from './config.ts';
import { createKeyRing } from './crypto.ts';
import { createAuditRepo } from './db/auditRepo.ts';
import { createAuthRequestsRepo } from './db/authRequestsRepo.ts';
import { createConnectionsRepo } from './db/connectionsRepo.ts';
import type { DatabaseHandle } from './db/openDatabase.ts';
import { createPermissionCheck } from './flows/checkPermission.ts';
import type { FlowDeps } from './flows/deps.ts';
import { registerHandlers } from './handlers/register.ts';
import type { Logger } from './logger.ts';
import { OktaOrgs } from './okta/oktaOrgs.ts';
import { slackDirectory } from './slackDirectory.ts';
import { createNotifier } from './slackNotifier.ts';
import { callbackRoute } from './web/callbackRoute.ts';
import { healthHandler } from './web/health.ts';
import { setupRoutes } from './web/setupRoutes.ts';

/** Slack never sends more than a few hundred kB; anything larger is refused with 413. */
const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;

export interface BotDeps {
  logger: Logger;
  database: DatabaseHandle;
  now?: () => number;
}

export interface Bot {
  app: App;
  flows: FlowDeps;
  /** Starts listening; resolves with the bound port (useful with PORT=0). */
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
}

/** The composition root: repositories, flows, Bolt with its receiver, and the bot's pages. */
export function createBot(config: Config, deps: BotDeps): Bot {
  const now = deps.now ?? Date.now;
  const ring = createKeyRing(config.encryptionKey, config.encryptionKeysPrevious);
  const { db } = deps.database;
  const flows: FlowDeps = {
    connections: createConnectionsRepo(db, ring, now),
    authRequests: createAuthRequestsRepo(db, ring, now),
    audit: createAuditRepo(db, now),
    orgs: new OktaOrgs({ originOverrides: config.originOverrides, now }),
    settings: {
      publicUrl: config.publicUrl,
      redirectUri: config.redirectUri,
      defaultScopes: config.defaultScopes,
      extraDomains: config.extraDomains,
      home: config.home,
      notifyChannel: config.notifyChannel,
    },
    logger: deps.logger,
    now,
  };

  const logger = boltLogger(deps.logger);
  const clientOptions = {
    slackApiUrl: config.slack.apiUrl,
    logger,
    // A modal must open within the trigger's 3 seconds: a few quick retries, not the
    // SDK's default of ten over half an hour.
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 },
    timeout: 5000,
  };
  // The pages need to DM before Bolt's App exists (its receiver takes the routes).
  const client = new webApi.WebClient(config.slack.botToken, clientOptions);
  const notifier = createNotifier(client, deps.logger);
  const routes: CustomRoute[] = [
    {
      path: '/healthz',
      method: ['GET'],
      handler: healthHandler({ database: () => deps.database.status() }),
    },
    ...setupRoutes(flows),
    callbackRoute(flows, notifier),
  ];
  const receiver = new HTTPReceiver({
    signingSecret: config.slack.signingSecret ?? '',
    endpoints: ['/slack/events'],
    customRoutes: routes,
    logger,
    bodyLimit: SLACK_BODY_LIMIT_BYTES,
  });
  const app = new App({
    token: config.slack.botToken,
    receiver,
    logger,
    clientOptions,
  });
  registerHandlers(app, {
    flows,
    checkPermission: createPermissionCheck({
      adminUserIds: config.adminUserIds,
      directory: slackDirectory(client),
      now,
    }),
    notifier,
    audit: flows.audit,
    logger: deps.logger,
  });

  let server: Server | undefined;
  return {
    app,
    flows,
    async start() {
      server = (await receiver.start({ port: config.port, host: config.host })) as Server;
      const address = server.address();
      return { port: typeof address === 'object' && address ? address.port : config.port };
    },
    async stop() {
      if (server) await receiver.stop();
      server = undefined;
    },
  };
}
