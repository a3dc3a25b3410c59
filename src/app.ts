import { App, type CustomRoute, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import { createAlertChannel } from './alertNotifier.ts';
import { boltLogger } from './boltLogger.ts';
import type { Config } from './config.ts';
import { createKeyRing } from './crypto.ts';
import { createApiKeysRepo } from './db/apiKeysRepo.ts';
import { createAuditRepo } from './db/auditRepo.ts';
import { createAuthRequestsRepo } from './db/authRequestsRepo.ts';
import { createConnectionsRepo } from './db/connectionsRepo.ts';
import { createDeliveriesRepo } from './db/deliveriesRepo.ts';
import { createHomeViewersRepo } from './db/homeViewersRepo.ts';
import { createRateWindowsRepo } from './db/rateWindowsRepo.ts';
import type { Store } from './db/store.ts';
import { type AlertChannel, incidentOf, raiseAlert } from './flows/alerts.ts';
import { createPermissionCheck } from './flows/checkPermission.ts';
import type { FlowDeps } from './flows/deps.ts';
import {
  type HealthScheduler,
  type SweepReport,
  startHealthScheduler,
} from './flows/healthSweep.ts';
import { processLeaseOwner } from './flows/leaseOwners.ts';
import { createHomeRefresher } from './handlers/homeRefresher.ts';
import { registerHandlers } from './handlers/register.ts';
import type { Logger } from './logger.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { OktaOrgs } from './okta/oktaOrgs.ts';
import { RateGate } from './okta/rateGate.ts';
import { requestContext } from './requestContext.ts';
import { slackDirectory } from './slackDirectory.ts';
import { createSlackFetch } from './slackFetch.ts';
import { createNotifier, slackErrorCode } from './slackNotifier.ts';
import { apiRoutes } from './web/api/apiRoutes.ts';
import { apiKeyRoutes } from './web/apiKeyRoutes.ts';
import { callbackRoute } from './web/callbackRoute.ts';
import { healthRoutes } from './web/health.ts';
import { createWebServer, type WebServer } from './web/server.ts';
import { setupRoutes } from './web/setupRoutes.ts';
import { createWorkUnderWay } from './workUnderWay.ts';

/** Slack never sends more than a few hundred kB; anything larger is refused with 413. */
const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;
const SLACK_PATH = '/slack/events';

export interface BotDeps {
  logger: Logger;
  database: Store;
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
  metrics: Metrics;
  /** Starts listening (and, in Socket Mode, connects); resolves with the bound port. */
  start(): Promise<{ port: number }>;
  /** Stops taking requests, lets those under way and the current sweep step finish (bounded). */
  stop(graceMs?: number): Promise<void>;
}

/** The composition root: repositories, flows, Bolt with its receiver, the bot's pages. */
export function createBot(config: Config, deps: BotDeps): Bot {
  const now = deps.now ?? Date.now;
  const sleep =
    deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref()));
  const metrics = createMetrics({
    connectionsByStatus: () => flows.connections.countByStatus(),
  });
  const ring = createKeyRing(config.encryptionKey, config.encryptionKeysPrevious);
  const store = deps.database;
  // Sweep requests per Okta org: a few at a time, never the last tenth of the org's
  // rate-limit window, which Workflows and other clients share with the bot. Kept in the
  // store, so that every replica on it spends the one budget of the org.
  const gate = new RateGate({
    maxInFlight: 4,
    reserveFraction: 0.1,
    now,
    sleep,
    shared: createRateWindowsRepo(store, now),
    logger: deps.logger,
  });
  const flows: FlowDeps = {
    connections: createConnectionsRepo(store, ring, now),
    authRequests: createAuthRequestsRepo(store, ring, now),
    audit: createAuditRepo(store, now),
    apiKeys: createApiKeysRepo(store, now),
    deliveries: createDeliveriesRepo(store, now),
    homeViewers: createHomeViewersRepo(store),
    orgs: new OktaOrgs({
      originOverrides: config.originOverrides,
      now,
      onResponse: (domain, response) => {
        gate.observe(domain, response.headers);
        if (response.status >= 400) metrics.oktaErrors.inc({ code: String(response.status) });
      },
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
  const slackHttp = createSlackFetch();
  const clientOptions = {
    fetch: slackHttp.fetch,
    slackApiUrl: config.slack.apiUrl,
    logger,
    // A modal must open within the trigger's 3 seconds: a few quick retries, not the
    // SDK's default of ten over half an hour.
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 },
    timeout: 5000,
  };
  const socketMode = config.slack.appToken !== null;
  const receiver = socketMode
    ? new SocketModeReceiver({
        appToken: config.slack.appToken ?? '',
        logger,
        installerOptions: { clientOptions: { slackApiUrl: config.slack.apiUrl } },
        // The envelope id plays the request id's part in the logs (see below).
        customPropertiesExtractor: (args) => ({ envelopeId: args.envelope_id }),
      })
    : new HTTPReceiver({
        signingSecret: config.slack.signingSecret ?? '',
        endpoints: [SLACK_PATH],
        logger,
        bodyLimit: SLACK_BODY_LIMIT_BYTES,
      });
  // Initialized in start(): Bolt checks the bot token with auth.test there, so a refused
  // token is an error start() can report instead of an unhandled rejection.
  const app = new App({
    token: config.slack.botToken,
    receiver,
    logger,
    clientOptions,
    deferInitialization: true,
    // Bolt's conversation store is a global middleware that looks up every request's
    // channel in memory for `context.conversation`, which nothing here reads.
    convoStore: false,
  });
  // Work that goes on after an answer: every Slack request's listener, from before its
  // answer to its last step (a result to the response_url, a modal, a DM), and the
  // callback's DM and alert. stop() lets it finish.
  const afterAnswer = createWorkUnderWay();
  app.use(({ next }) => afterAnswer.track(next));
  // Bolt's own client (the bot token, these options) serves the flows and pages too.
  const { client } = app;
  const notifier = createNotifier(client, deps.logger, metrics);
  const alerts = createAlertChannel(client, notifier, deps.logger, now, metrics);
  if (socketMode) {
    app.use(async ({ context, next }) =>
      requestContext.run({ reqId: String(context.envelopeId ?? 'socket') }, next),
    );
  }
  app.error(async (error) => {
    const code = slackErrorCode(error, (error as { code?: string }).code ?? 'unknown');
    metrics.slackErrors.inc({ code });
    deps.logger.error({ err: error }, 'Slack listener failed');
  });
  const checkPermission = createPermissionCheck({
    adminUserIds: config.adminUserIds,
    directory: slackDirectory(client),
    now,
  });
  // Keeps open Home tabs current: shared by the handlers, the sweep and the callback.
  const home = createHomeRefresher({ flows, checkPermission, client, logger: deps.logger });
  registerHandlers(app, {
    flows,
    checkPermission,
    notifier,
    alerts,
    logger: deps.logger,
    home,
  });

  // Identifies this process in refresh leases; the API refreshes under its own name.
  const owner = processLeaseOwner();
  const health = startHealthScheduler(flows, {
    intervalMs: config.healthIntervalSeconds * 1000,
    owner,
    gate,
    sleep,
    onNeedsReauth: async (connection) => {
      const incident = incidentOf(connection);
      if (incident) await raiseAlert(flows, alerts, connection, { ...incident, since: now() });
      home.refresh(connection.teamId);
    },
    onReport: (report: SweepReport, seconds: number) => {
      metrics.flowDuration.observe({ flow: 'health_sweep' }, seconds);
      for (const outcome of ['refreshed', 'needsReauth', 'failed', 'busy', 'retries'] as const) {
        if (report[outcome] > 0) metrics.refreshes.inc({ outcome }, report[outcome]);
      }
    },
  });

  const routes: CustomRoute[] = [
    ...healthRoutes({
      database: () => deps.database.status(),
      scheduler: () => health.running(),
      metrics: () => metrics.registry,
    }),
    ...setupRoutes(flows),
    ...apiKeyRoutes(flows),
    callbackRoute(
      flows,
      notifier,
      alerts,
      (teamId) => home.refresh(teamId),
      (work) => afterAnswer.track(work),
    ),
    // Last: it ends with a catch-all for /api/*.
    ...apiRoutes(flows, alerts, config.apiKeys, { owner: `${owner}:api`, metrics }),
  ];
  const web: WebServer = createWebServer({
    routes,
    ...(receiver instanceof HTTPReceiver
      ? { slack: { path: SLACK_PATH, listener: receiver.requestListener } }
      : {}),
    logger: deps.logger,
    metrics,
  });

  return {
    app,
    flows,
    health,
    alerts,
    gate,
    metrics,
    async start() {
      await app.init();
      const port = await web.listen(config.port, config.host);
      if (receiver instanceof SocketModeReceiver) {
        try {
          await receiver.start();
        } catch (error) {
          await web.close(0);
          // Refused here, it is the app-level token that Slack did not accept.
          throw Object.assign(error as object, { slackToken: 'SLACK_APP_TOKEN' });
        }
      }
      return { port };
    },
    async stop(graceMs = 10_000) {
      const deadline = Date.now() + graceMs;
      home.stop();
      // In Socket Mode, disconnect first: Slack then sends new envelopes to the app's
      // other connections while this process finishes what it has.
      if (receiver instanceof SocketModeReceiver) await receiver.stop();
      await Promise.all([web.close(graceMs), health.stop(graceMs)]);
      // Slack's requests (and the callback) are answered before they are done: their work
      // goes on after the answer, with the database and Slack, and gets what is left of
      // the grace period.
      if (!(await afterAnswer.settled(Math.max(0, deadline - Date.now())))) {
        deps.logger.warn(
          { underWay: afterAnswer.size() },
          'stopping before the work after some answers finished',
        );
      }
      // After the requests, their work and the sweep step: they may still post to Slack.
      await slackHttp.close();
    },
  };
}
