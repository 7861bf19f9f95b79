import { markLeadForCall, saveLead } from '../../db/queries/conversations.js';
import { stableId } from '../../db/ids.js';
import type { Lead } from '../../workflows/leads/extract.js';
import { emitEvent } from '../webhooks/emit-event.js';
import type { ConversationContext } from './deps.js';
import { leadAlertPhone } from './settings.js';

export function createLeadActivities({ deps, db, widgetOf }: ConversationContext) {
  return {
    /**
     * Keeps the conversation's lead current; when it was just captured or its score rose, records
     * `lead.captured` and says where the WhatsApp alert goes (if the widget wants one).
     */
    async saveLead(input: { conversationId: string; widgetId: string; customerPhone: string; lead: Lead; announce: boolean }): Promise<{ alertTo: string | null }> {
      const { lead } = input;
      const status = await saveLead(db, input.conversationId, input.widgetId, lead);
      if (!input.announce) return { alertTo: null };
      await emitEvent(deps.events, {
        // One event per lead state: a retried call, or the same state again, is not a new event.
        id: stableId('evt', `lead:${input.conversationId}:${lead.score}:${lead.name}:${lead.phone}:${lead.email}`),
        widgetId: input.widgetId,
        event: 'lead.captured',
        conversationId: input.conversationId,
        data: { conversation_id: input.conversationId, customer_phone: input.customerPhone, ...lead, status },
      });
      return { alertTo: leadAlertPhone(await widgetOf(input.widgetId)) };
    },

    /** `CALL` from the alert phone: the lead is marked for a call; false when there is no lead. */
    scheduleLeadCall(input: { conversationId: string }): Promise<boolean> {
      return markLeadForCall(db, input.conversationId);
    },
  };
}
