import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { App, type CustomRoute, HTTPReceiver, webApi } from '@slack/bolt';
import { createAlertChannel } from './alertNotifier.ts';
import { boltLogger } from './boltLogger.ts';
import type { Config } from './config.ts';
import { createKeyRing } from './crypto.ts';
import { createAuditRepo } from './db/auditRepo.ts';
import { createAuthRequestsRepo } from './db/authRequestsRepo.ts';
import { createConnectionsRepo } from './db/connectionsRepo.ts';
import type { DatabaseHandle } from './db/openDatabase.ts';
import { type AlertChannel, incidentOf, raiseAlert } from './flows/alerts.ts';
import { createPermissionCheck } from './flows/checkPermission.ts';
import type { FlowDeps } from './flows/deps.ts';
import { type HealthScheduler, startHealthScheduler } from './flows/healthSweep.ts';
import { registerHandlers } from './handlers/register.ts';
import type { Logger } from './logger.ts';
import { OktaOrgs } from './okta/oktaOrgs.ts';
import { RateGate } from './okta/rateGate.ts';
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
  /** How background work waits (the rate gate, retries); tests move a clock instead. */
  sleep?: (ms: number) => Promise<void>;
}

export interface Bot {
  app: App;
  flows: FlowDeps;
  health: HealthScheduler;
  alerts: AlertChannel;
  /** Keeps background calls within each Okta org's rate limit. */
  gate: RateGate;
  /** Starts listening; resolves with the bound port (useful with PORT=0). */
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
}

/** The composition root: repositories, flows, Bolt with its receiver, and the bot's pages. */
export function createBot(config: Config, deps: BotDeps): Bot {
  const now = deps.now ?? Date.now;
  const ring = createKeyRing(config.encryptionKey, config.encryptionKeysPrevious);
  // Sweep requests per Okta org: a few at a time, never the last tenth of the org's
  // rate-limit window, which Workflows and other clients share with the bot.
  const sleep =
    deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref()));
  const gate = new RateGate({ maxInFlight: 4, reserveFraction: 0.1, now, sleep });
  const { db } = deps.database;
  const flows: FlowDeps = {
    connections: createConnectionsRepo(db, ring, now),
    authRequests: createAuthRequestsRepo(db, ring, now),
    audit: createAuditRepo(db, now),
    orgs: new OktaOrgs({
      originOverrides: config.originOverrides,
      now,
      onResponse: (domain, response) => gate.observe(domain, response.headers),
    }),
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
  const alerts = createAlertChannel(client, notifier, deps.logger, now);
  const routes: CustomRoute[] = [
    {
      path: '/healthz',
      method: ['GET'],
      handler: healthHandler({ database: () => deps.database.status() }),
    },
    ...setupRoutes(flows),
    callbackRoute(flows, notifier, alerts),
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
    alerts,
    audit: flows.audit,
    logger: deps.logger,
  });

  const health = startHealthScheduler(flows, {
    intervalMs: config.healthIntervalSeconds * 1000,
    owner: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    gate,
    sleep,
    onNeedsReauth: async (connection) => {
      const incident = incidentOf(connection, now());
      if (incident) await raiseAlert(flows, alerts, connection, { ...incident, since: now() });
    },
  });

  let server: Server | undefined;
  return {
    app,
    flows,
    health,
    alerts,
    gate,
    async start() {
      server = (await receiver.start({ port: config.port, host: config.host })) as Server;
      const address = server.address();
      return { port: typeof address === 'object' && address ? address.port : config.port };
    },
    async stop() {
      await health.stop();
      if (server) await receiver.stop();
      server = undefined;
    },
  };
}
