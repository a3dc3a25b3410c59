import type { App } from '@slack/bolt';
import { orgStepJson } from '../views/orgStep.ts';
import type { HandlerDeps } from './deps.ts';
import { encodeWizard } from './wizardState.ts';

/** Step 1 of the create wizard, opened within the trigger's 3 seconds. */
export async function openCreateWizard(
  deps: HandlerDeps,
  client: App['client'],
  input: { triggerId: string; channelId: string | null },
): Promise<void> {
  const { settings } = deps.flows;
  const orgKind = settings.home ? 'home' : 'other';
  // The view as JSON text, serialised once for the bot's settings (see orgStepJson).
  await client.apiCall('views.open', {
    trigger_id: input.triggerId,
    view: orgStepJson({
      home: settings.home,
      orgKind,
      redirectUri: settings.redirectUri,
      metadata: encodeWizard({ v: 1, channelId: input.channelId, orgKind }),
    }),
  });
}
