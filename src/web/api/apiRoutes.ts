import type { CustomRoute } from '@slack/bolt';
import type { AlertChannel } from '../../flows/alerts.ts';
import type { FlowDeps } from '../../flows/deps.ts';
import type { Metrics } from '../../metrics.ts';
import { type ApiContext, apiEndpoint, errorReply } from './apiEndpoint.ts';
import type { ApiKey } from './apiKeys.ts';
import { getConnectionEndpoint } from './getConnectionEndpoint.ts';
import { listConnectionsEndpoint } from './listConnectionsEndpoint.ts';
import { oktaProxyEndpoint, PROXY_METHODS } from './oktaProxyEndpoint.ts';
import { tokenEndpoint } from './tokenEndpoint.ts';

const ANY_METHOD = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * The connection API for scripts and services (issue 4), as Bolt custom routes on the
 * bot's HTTP server. With no key configured every route answers 404 `api_disabled`.
 * Bolt tries routes in this order, so the catch-all comes last.
 */
export function apiRoutes(
  flows: FlowDeps,
  alerts: AlertChannel,
  apiKeys: readonly ApiKey[],
  options: { owner: string; metrics?: Metrics },
): CustomRoute[] {
  const ctx: ApiContext = {
    flows,
    alerts,
    keys: apiKeys,
    owner: options.owner,
    ...(options.metrics ? { metrics: options.metrics } : {}),
  };
  return [
    {
      path: '/api/connections',
      method: ['GET'],
      handler: apiEndpoint(ctx, 'list', listConnectionsEndpoint(ctx)),
    },
    {
      path: '/api/connections/:nickname',
      method: ['GET'],
      handler: apiEndpoint(ctx, 'get', getConnectionEndpoint(ctx)),
    },
    {
      path: '/api/connections/:nickname/token',
      method: ['POST'],
      handler: apiEndpoint(ctx, 'token', tokenEndpoint(ctx)),
    },
    {
      path: '/api/connections/:nickname/okta/*rest',
      method: [...PROXY_METHODS],
      handler: apiEndpoint(ctx, 'okta', oktaProxyEndpoint(ctx)),
    },
    {
      path: '/api/*rest',
      method: ANY_METHOD,
      handler: apiEndpoint(ctx, 'unknown', async () => ({
        reply: errorReply(404, 'unknown_endpoint'),
      })),
    },
  ];
}
