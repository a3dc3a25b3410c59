import { z } from 'zod';
import { ACTION } from '../views/ids.ts';
import type { HandlerDeps } from './deps.ts';
import { allowClick } from './guard.ts';
import type { Listeners } from './listeners.ts';
import { openCreateWizard } from './openCreateWizard.ts';
import { readClick } from './payloads.ts';

const idLike = z.string().min(1).max(64);

/** The parts of an `app_home_opened` delivery the Home tab needs. */
const appHomeOpenedBody = z
  .object({
    team_id: idLike,
    enterprise_id: idLike.nullish(),
    authorizations: z
      .array(z.object({ is_enterprise_install: z.boolean().optional() }).loose())
      .optional(),
    event: z
      .object({ type: z.literal('app_home_opened'), user: idLike, tab: z.string().optional() })
      .loose(),
  })
  .loose();

/**
 * The Home tab (design §6): published when opened, one page of the workspace's
 * connections for those who may manage them and a short refusal for everyone else;
 * Previous / Next and *New connection* work from it. Opening the tab is not an attempt to
 * change anything, so a refusal there is not audited (a button click still is).
 */
export function registerAppHome(app: Listeners, deps: HandlerDeps): void {
  const { home } = deps;
  app.event('app_home_opened', async ({ body }) => {
    const parsed = appHomeOpenedBody.safeParse(body);
    if (!parsed.success || (parsed.data.event.tab ?? 'home') !== 'home') return;
    const { data } = parsed;
    const orgInstall = data.authorizations?.[0]?.is_enterprise_install === true;
    const teamId = orgInstall && data.enterprise_id ? data.enterprise_id : data.team_id;
    await home.show({ teamId, userId: data.event.user });
  });

  app.action(ACTION.homePage, async ({ ack, body }) => {
    await ack();
    const click = readClick(body);
    if (!click) return;
    const page = Number.parseInt(click.data.actions[0]?.value ?? '1', 10);
    await home.show({ teamId: click.teamId, userId: click.userId }, page);
  });

  app.action(ACTION.homeNew, async ({ ack, body, client, respond }) => {
    await ack();
    const click = readClick(body);
    const triggerId = click?.data.trigger_id;
    if (!click || !triggerId) return;
    if (!(await allowClick(deps, { ...click, body, respond }, 'home: new connection'))) return;
    await openCreateWizard(deps, client, { triggerId, channelId: null });
  });
}
