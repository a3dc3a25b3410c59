import { z } from 'zod';

/**
 * zod shapes for the parts of Slack payloads the handlers read. Bolt has already checked
 * the signature; these check the shape, so a handler works only with what it validated.
 */

const stateValue = z
  .object({
    type: z.string(),
    value: z.string().nullish(),
    selected_option: z.object({ value: z.string() }).loose().nullish(),
    selected_options: z.array(z.object({ value: z.string() }).loose()).nullish(),
    selected_conversation: z.string().nullish(),
    selected_channel: z.string().nullish(),
  })
  .loose();

export const stateValues = z.record(z.string(), z.record(z.string(), stateValue));
export type StateValues = z.infer<typeof stateValues>;

const idLike = z.string().min(1).max(64);

const viewPayload = z
  .object({
    id: idLike,
    hash: z.string().max(200).optional(),
    callback_id: z.string().max(255),
    private_metadata: z.string().max(3000).default(''),
    team_id: idLike.nullish(),
    state: z.object({ values: stateValues }).loose().default({ values: {} }),
  })
  .loose();

const userRef = z.object({ id: idLike, team_id: idLike.nullish() }).loose();
const teamRef = z.object({ id: idLike }).loose().nullish();
const enterpriseRef = z.object({ id: idLike }).loose().nullish();

export const viewSubmissionBody = z
  .object({
    type: z.literal('view_submission'),
    user: userRef,
    team: teamRef,
    enterprise: enterpriseRef,
    is_enterprise_install: z.boolean().optional(),
    view: viewPayload,
  })
  .loose();

export const blockActionsBody = z
  .object({
    type: z.literal('block_actions'),
    user: userRef,
    team: teamRef,
    enterprise: enterpriseRef,
    is_enterprise_install: z.boolean().optional(),
    trigger_id: z.string().max(255).optional(),
    channel: z.object({ id: idLike }).loose().nullish(),
    view: viewPayload.optional(),
    actions: z
      .array(
        z
          .object({
            action_id: z.string().max(255),
            value: z.string().max(2000).optional(),
            selected_option: z.object({ value: z.string() }).loose().nullish(),
          })
          .loose(),
      )
      .min(1),
  })
  .loose();

export const slashCommandBody = z
  .object({
    command: z.string(),
    text: z.string().max(4000).default(''),
    user_id: idLike,
    team_id: idLike,
    enterprise_id: idLike.optional(),
    is_enterprise_install: z.string().optional(),
    channel_id: idLike,
    trigger_id: z.string().max(255),
  })
  .loose();

/**
 * Connections belong to the workspace the request came from; an org-wide install
 * (Enterprise Grid) has no team on view payloads and is keyed by the enterprise.
 */
/** A click (block_actions) with the workspace it came from; null when the payload is not one. */
export function readClick(body: unknown) {
  const parsed = blockActionsBody.safeParse(body);
  const teamId = parsed.success ? teamKeyOf(parsed.data) : null;
  if (!parsed.success || !teamId) return null;
  return { data: parsed.data, teamId, userId: parsed.data.user.id };
}

/**
 * A view submission with its workspace (or grid) and user; null for a payload that is
 * not one, or names no workspace.
 */
export function readSubmission(body: unknown) {
  const parsed = viewSubmissionBody.safeParse(body);
  const teamId = parsed.success ? teamKeyOf(parsed.data) : null;
  if (!parsed.success || !teamId) return null;
  return { view: parsed.data.view, teamId, userId: parsed.data.user.id };
}

export function teamKeyOf(body: {
  team?: { id: string } | null;
  user?: { team_id?: string | null };
  enterprise?: { id: string } | null;
  is_enterprise_install?: boolean;
}): string | null {
  if (body.is_enterprise_install && body.enterprise?.id) return body.enterprise.id;
  return body.team?.id ?? body.user?.team_id ?? body.enterprise?.id ?? null;
}

export function commandTeamKey(body: z.infer<typeof slashCommandBody>): string {
  return body.is_enterprise_install === 'true' && body.enterprise_id
    ? body.enterprise_id
    : body.team_id;
}

export function textValue(values: StateValues, block: string): string {
  return values[block]?.[block]?.value ?? '';
}

export function optionValue(values: StateValues, block: string): string | null {
  return values[block]?.[block]?.selected_option?.value ?? null;
}

export function optionValues(values: StateValues, block: string): string[] {
  return (values[block]?.[block]?.selected_options ?? []).map((option) => option.value);
}

/** Public (C…), private (G…) channel or DM (D…) ids, as Slack's conversation pickers return them. */
const CONVERSATION_ID = /^[CGD][A-Z0-9]{2,40}$/;

/**
 * `value` when it is a conversation id, else null. A channel is stored, posted to and
 * carried in `private_metadata`, so anything else Slack sends back is dropped.
 */
export function conversationId(value: string | null | undefined): string | null {
  return typeof value === 'string' && CONVERSATION_ID.test(value) ? value : null;
}

/** The picked conversation, or null when none was picked or the value is not a channel id. */
export function conversationValue(values: StateValues, block: string): string | null {
  const value = values[block]?.[block];
  return conversationId(value?.selected_conversation ?? value?.selected_channel);
}
