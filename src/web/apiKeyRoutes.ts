import type { CustomRoute } from '@slack/bolt';
import type { FlowDeps } from '../flows/deps.ts';
import { revealApiKey } from '../flows/manageApiKeys.ts';
import { keyPageProblem } from '../views/apiKeyViews.ts';
import { sendPage } from './http.ts';
import { renderApiKeyPage } from './pages/renderApiKeyPage.ts';
import { renderProblemPage } from './pages/renderProblemPage.ts';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,100}$/;
const STATUS = { unknown: 404, used: 410, expired: 410, revoked: 410 } as const;

/**
 * `GET /apikey/:token`: the single-use page that shows a new API key. Opening it makes
 * the key (only its hash is stored), so the link works once and a copy of the database
 * or of the DM never holds a key. Not on HEAD: a link checker must not use it up.
 */
export function apiKeyRoutes(flows: FlowDeps): CustomRoute[] {
  const show: CustomRoute['handler'] = async (req, res) => {
    const token = typeof req.params?.token === 'string' ? req.params.token : '';
    const problem = (code: keyof typeof STATUS) =>
      sendPage(res, renderProblemPage({ message: keyPageProblem(code), status: STATUS[code] }));
    if (!TOKEN_PATTERN.test(token)) return problem('unknown');
    const revealed = await revealApiKey(flows, token);
    if (!revealed.ok) return problem(revealed.code);
    const { record, nicknames } = revealed.listing;
    sendPage(
      res,
      renderApiKeyPage({
        name: record.name,
        key: revealed.key,
        connections: nicknames,
        actions: record.actions,
        expiresAt: record.expiresAt,
        publicUrl: flows.settings.publicUrl,
      }),
    );
  };
  return [
    {
      path: '/apikey/:token',
      method: ['GET'],
      handler: (req, res) => {
        Promise.resolve(show(req, res)).catch((error: unknown) => {
          flows.logger.error({ err: error }, 'API key page failed');
          if (!res.headersSent) {
            res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
            res.end('The bot failed to answer; the error is in its log.');
          }
        });
      },
    },
  ];
}
