import type { ViewResponseAction } from '@slack/bolt';
import type { FlowDeps } from '../flows/deps.ts';
import { type Remembered, rememberSubmission } from '../flows/rememberSubmission.ts';

export type { Remembered } from '../flows/rememberSubmission.ts';

/**
 * The final submissions' memory, by view id, kept in the store (see rememberSubmission):
 * a repeat of a submission gets the first answer on every replica.
 */
export function createSubmissionMemory(flows: Pick<FlowDeps, 'deliveries'>) {
  return (viewId: string): Promise<Remembered<ViewResponseAction>> =>
    rememberSubmission<ViewResponseAction>(flows, viewId);
}
