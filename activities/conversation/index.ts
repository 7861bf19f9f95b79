import type { ConversationActivities } from '../../workflows/conversation/activity-types.js';
import { conversationContext, type ConversationActivityDeps } from './deps.js';
import { createConversationEventActivities } from './events.js';
import { createFailureActivities } from './failures.js';
import { createIngestActivities } from './ingest.js';
import { createLeadActivities } from './leads.js';
import { createModeActivities } from './modes.js';
import { createReplyActivities } from './replies.js';
import { createSettingsActivities } from './settings.js';

export type { ConversationActivityDeps } from './deps.js';

/** The conversation workflow's activities, registered under these names (recorded histories name them: they never change). */
export function createConversationActivities(deps: ConversationActivityDeps): ConversationActivities {
  const context = conversationContext(deps);
  return {
    ...createIngestActivities(context),
    ...createReplyActivities(context),
    ...createConversationEventActivities(context),
    ...createLeadActivities(context),
    ...createSettingsActivities(context),
    ...createFailureActivities(context),
    ...createModeActivities(context),
  };
}
