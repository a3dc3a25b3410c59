import type { Server } from 'node:http';
import { App, type CustomRoute, HTTPReceiver } from '@slack/bolt';
import { boltLogger } from './boltLogger.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { type HealthProbe, healthHandler } from './web/health.ts';

/** Slack never sends more than a few hundred kB; anything larger is refused with 413. */
const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;

export interface BotDeps {
  logger: Logger;
  health: HealthProbe;
}

export interface Bot {
  app: App;
  /** Starts listening; resolves with the bound port (useful with PORT=0). */
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
}

/** The composition root: Bolt, its receiver, the bot's own web routes. */
export function createBot(config: Config, deps: BotDeps): Bot {
  const logger = boltLogger(deps.logger);
  const routes: CustomRoute[] = [
    { path: '/healthz', method: ['GET'], handler: healthHandler(deps.health) },
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
    clientOptions: { slackApiUrl: config.slack.apiUrl },
  });

  let server: Server | undefined;
  return {
    app,
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
