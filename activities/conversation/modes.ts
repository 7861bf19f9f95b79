import { saveMode } from '../../db/queries/conversations.js';
import { stableId } from '../../db/ids.js';
import type { ConversationMode } from '../../workflows/conversation/domain.js';
import { emitEvent } from '../webhooks/emit-event.js';
import type { ConversationContext } from './deps.js';

const MODE_EVENTS = { human: 'conversation.taken_over', ai: 'conversation.resumed', handoff_requested: 'conversation.handoff_requested' } as const;

export function createModeActivities({ deps, db }: ConversationContext) {
  return {
    /** `eventId` comes from the workflow, so a retried call stores the change once. */
    async saveConversationMode(input: { eventId: string; conversationId: string; widgetId: string; customerPhone: string; mode: ConversationMode; actor: string; reason: string }): Promise<void> {
      await saveMode(db, input);
      await emitEvent(deps.events, {
        id: stableId('evt', input.eventId),
        widgetId: input.widgetId,
        event: MODE_EVENTS[input.mode],
        conversationId: input.conversationId,
        data: { conversation_id: input.conversationId, customer_phone: input.customerPhone, mode: input.mode, by: input.actor, reason: input.reason },
      });
    },
  };
}
