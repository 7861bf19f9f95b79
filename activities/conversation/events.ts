import { recordConversationEvent } from '../../db/queries/conversations.js';
import { conversationLink, findLink } from '../../db/queries/links.js';
import type { ConversationLink } from '../../workflows/conversation/state.js';
import type { ConversationContext } from './deps.js';

/** What happens to a conversation besides messages, and where its alerts go out from. */
export function createConversationEventActivities({ db }: ConversationContext) {
  return {
    /** Something that happened to the conversation besides messages (an alert sent, a timer fired). */
    async recordConversationEvent(input: { eventId: string; conversationId: string; kind: string; actor: string | null; reason: string | null; data: Record<string, unknown> }): Promise<void> {
      await recordConversationEvent(db, { id: input.eventId, conversationId: input.conversationId, kind: input.kind, actor: input.actor, reason: input.reason, data: input.data });
    },

    /**
     * The WhatsApp number a web conversation alerts the business from: the widget's linked one
     * (a connected channel first). Null when the widget has none, and the alert is skipped.
     */
    async findAlertChannel(input: { widgetId: string }): Promise<ConversationLink | null> {
      const link = await findLink(db, { widgetId: input.widgetId, inUseOnly: true });
      return link ? conversationLink(link) : null;
    },
  };
}
