import { z } from 'zod';
import { CLIENT_AUTH_METHODS } from '../clientCredential.ts';

/**
 * What the create wizard carries from step to step in `private_metadata` (≤ 3000
 * characters, sent back by Slack on every submission). Never a secret: the secret is
 * only ever typed on the bot's own page.
 */
const wizardState = z.object({
  v: z.literal(1),
  channelId: z.string().max(64).nullable(),
  orgKind: z.enum(['home', 'other']).default('other'),
  nickname: z.string().max(200).optional(),
  domain: z.string().max(300).optional(),
  clientId: z.string().max(100).optional(),
  clientAuth: z.enum(CLIENT_AUTH_METHODS).optional(),
  notifyChannel: z.string().max(64).nullable().optional(),
  notes: z.array(z.string().max(500)).max(10).optional(),
});

export type WizardState = z.infer<typeof wizardState>;

export function encodeWizard(state: WizardState): string {
  return JSON.stringify(state);
}

/** Anything Slack sends back that is not ours, or is damaged, starts the wizard over. */
export function decodeWizard(text: string): WizardState | null {
  try {
    const parsed = wizardState.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Reauthorize, edit scopes and delete modals carry only the connection they are about. */
const connectionRef = z.object({ v: z.literal(1), connectionId: z.string().min(1).max(64) });

export function encodeConnectionRef(connectionId: string): string {
  return JSON.stringify({ v: 1, connectionId });
}

export function decodeConnectionRef(text: string): string | null {
  try {
    const parsed = connectionRef.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.connectionId : null;
  } catch {
    return null;
  }
}
