import { createHash } from 'node:crypto';
import { ConflictError } from '../../http/errors.js';
import type { Launch } from '../../infra/db/schema.js';
import { ProgressError } from '../progress/envelope.js';
import type { Learner } from '../progress/learner-tokens.js';

export interface LaunchContentRef {
  contentId: string;
  collectionId: string;
  contextId: string;
}

/**
 * One progress write for a launch, under a message id made from `messageKey` (so a retry writes
 * nothing twice); none for a preview. A refusal of the progress API (the context has ended, the
 * enrollment was ended) is the launch's refusal too.
 */
export async function writeLaunchProgress(
  launch: Launch,
  contentId: string,
  messageKey: string,
  write: (learner: Learner, ref: LaunchContentRef, msgid: string) => Promise<unknown>,
): Promise<void> {
  if (launch.preview === 1 || !launch.collection_identifier || !launch.context_identifier) return;
  const learner = { organizationId: launch.organization_id, userId: launch.user_id, name: launch.learner_name };
  try {
    await write(learner, { contentId, collectionId: launch.collection_identifier, contextId: launch.context_identifier }, `player:${createHash('sha256').update(messageKey).digest('base64url')}`);
  } catch (error) {
    if (error instanceof ProgressError) throw new ConflictError('progress_refused', error.message);
    throw error;
  }
}
