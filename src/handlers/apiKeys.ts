import type { App, RespondArguments } from '@slack/bolt';
import { z } from 'zod';
import { API_KEY_ACTIONS } from '../db/schema.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../flows/manageApiKeys.ts';
import {
  ALL_CONNECTIONS,
  apiKeyCheckDmView,
  apiKeyLinkMessage,
  apiKeyListMessage,
  apiKeyModal,
  apiKeyNotice,
  apiKeyWords,
  EXPIRY_DAYS,
  MAX_PICKER_OPTIONS,
} from '../views/apiKeyViews.ts';
import { ACTION, CALLBACK, INPUT } from '../views/ids.ts';
import { noticeView, refusalView } from '../views/notices.ts';
import type { HandlerDeps } from './deps.ts';
import { allowClick, guard } from './guard.ts';
import type { Listeners } from './listeners.ts';
import { optionValue, optionValues, readClick, readSubmission } from './payloads.ts';
import { replyTo } from './replyTo.ts';
import { createSubmissionMemory } from './submissionMemory.ts';

/** A key's name: short, plain, and safe to show anywhere (it names the key in the audit trail). */
export const keyName = z.string().regex(/^[A-Za-z0-9._-]{1,40}$/);

const keyMetadata = z.object({ name: keyName });

/** What the modal's fields must hold; the picker's values are connection ids. */
const keySubmission = z.object({
  connections: z.array(z.string().min(1).max(64)).max(MAX_PICKER_OPTIONS),
  actions: z.array(z.enum(API_KEY_ACTIONS)).min(1, 'Choose at least one action.'),
  expiry: z.enum(EXPIRY_DAYS),
});

type Ack = (response?: RespondArguments) => Promise<void>;

/**
 * `/okta-connect apikey new NAME | list | revoke NAME`, after the permission check the
 * command already passed. `text` is what follows `apikey`.
 */
export async function runApiKeyCommand(
  deps: HandlerDeps,
  client: App['client'],
  command: { teamId: string; userId: string; triggerId: string; text: string },
  ack: Ack,
): Promise<void> {
  const [word = '', ...rest] = command.text.trim().split(/\s+/);
  const name = rest.join(' ').trim();
  const { teamId, userId } = command;
  if (word === 'list') {
    const listings = await listApiKeys(deps.flows, teamId);
    await ack({ response_type: 'ephemeral', ...apiKeyListMessage(listings, deps.flows.now()) });
    return;
  }
  if (word !== 'new' && word !== 'revoke') {
    await ack({ response_type: 'ephemeral', ...apiKeyNotice('usage') });
    return;
  }
  const named = keyName.safeParse(name);
  if (!named.success) {
    await ack({
      response_type: 'ephemeral',
      ...apiKeyNotice(word === 'new' ? 'name_invalid' : 'not_found', name.slice(0, 40)),
    });
    return;
  }
  if (word === 'revoke') {
    const key = await deps.flows.apiKeys.findByName(teamId, named.data);
    const revoked = key
      ? await revokeApiKey(deps.flows, { teamId, actor: userId, keyId: key.id })
      : null;
    await ack({
      response_type: 'ephemeral',
      ...apiKeyNotice(revoked?.ok ? 'revoked' : 'not_found', named.data),
    });
    if (revoked?.ok) deps.home.refresh(teamId);
    return;
  }
  if (await deps.flows.apiKeys.findByName(teamId, named.data)) {
    await ack({ response_type: 'ephemeral', ...apiKeyNotice('name_taken', named.data) });
    return;
  }
  await ack();
  const connections = await deps.flows.connections.listByTeam(teamId, {
    limit: MAX_PICKER_OPTIONS,
    offset: 0,
  });
  await client.views.open({
    trigger_id: command.triggerId,
    view: apiKeyModal({
      name: named.data,
      connections,
      metadata: JSON.stringify({ name: named.data }),
    }),
  });
}

function readMetadata(text: string): string | null {
  try {
    const parsed = keyMetadata.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.name : null;
  } catch {
    return null;
  }
}

/** The key modal's submission and the Home tab's Revoke button. */
export function registerApiKeys(app: Listeners, deps: HandlerDeps): void {
  const rememberSubmission = createSubmissionMemory(deps.flows);

  app.view(CALLBACK.apiKeyNew, async ({ ack, body }) => {
    const submitted = readSubmission(body);
    const name = submitted ? readMetadata(submitted.view.private_metadata) : null;
    if (!submitted || !name) {
      return ack({ response_action: 'update', view: noticeView(apiKeyWords('usage', '')) });
    }
    const { teamId, userId } = submitted;
    const replay = await rememberSubmission(submitted.view.id);
    if (replay.seen) return ack(replay.response ?? undefined);
    const allowed = await guard(deps, { teamId, userId }, 'apikey new');
    if (!allowed.ok) return ack(await replay.settle(refusalView(allowed.code)));
    const { values } = submitted.view.state;
    const fields = keySubmission.safeParse({
      connections: optionValues(values, INPUT.keyConnections),
      actions: optionValues(values, INPUT.keyActions),
      expiry: optionValue(values, INPUT.keyExpiry) ?? '90',
    });
    if (!fields.success) {
      const errors: Record<string, string> = {};
      for (const issue of fields.error.issues) {
        const block = {
          connections: INPUT.keyConnections,
          actions: INPUT.keyActions,
          expiry: INPUT.keyExpiry,
        }[String(issue.path[0]) as 'connections' | 'actions' | 'expiry'];
        if (block)
          errors[block] = issue.code === 'too_small' ? issue.message : 'Choose one of the options.';
      }
      return ack(await replay.forget({ response_action: 'errors' as const, errors }));
    }
    const { connections, actions, expiry } = fields.data;
    const created = await createApiKey(deps.flows, {
      teamId,
      actor: userId,
      name,
      connectionIds:
        connections.length === 0 || connections.includes(ALL_CONNECTIONS) ? null : connections,
      actions,
      expiresInDays: expiry === 'never' ? null : Number(expiry),
    });
    if (!created.ok) {
      return ack(
        await replay.settle({
          response_action: 'update',
          view: noticeView(apiKeyWords(created.code, name)),
        }),
      );
    }
    await ack(await replay.settle({ response_action: 'update', view: apiKeyCheckDmView(name) }));
    deps.home.refresh(teamId);
    await deps.notifier.dm(
      userId,
      apiKeyLinkMessage({ name, url: created.url, expiresAt: created.linkExpiresAt }),
    );
  });

  app.action(ACTION.apiKeyRevoke, async ({ ack, body, respond }) => {
    await ack();
    const click = readClick(body);
    if (!click) return;
    const { teamId, userId } = click;
    const who = { userId, body, respond };
    if (!(await allowClick(deps, { teamId, ...who }, 'button apikey revoke'))) return;
    const keyId = click.data.actions[0]?.value ?? '';
    const revoked = await revokeApiKey(deps.flows, { teamId, actor: userId, keyId });
    if (revoked.ok) deps.home.refresh(teamId);
    await replyTo(
      deps,
      who,
      apiKeyNotice(revoked.ok ? 'revoked' : 'not_found', revoked.ok ? revoked.name : ''),
    );
  });

  // A link button still sends a click; Slack wants it acknowledged.
  app.action(ACTION.openKeyLink, async ({ ack }) => {
    await ack();
  });
}
