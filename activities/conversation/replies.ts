import type { InboundSignal } from '../../workflows/conversation/signals.js';
import type { WebReply } from '../../workflows/conversation/activity-types.js';
import type { ConversationContext } from './deps.js';
import { recordSentMessage } from './record-sent.js';

/** What a signal's attachment becomes on the stored message. */
function attachmentOfSignal(message: InboundSignal): { mediaId?: string; location?: InboundSignal['location']; contact?: InboundSignal['contact'] } {
  return {
    ...(message.media ? { mediaId: message.media.id } : {}),
    ...(message.location ? { location: message.location } : {}),
    ...(message.contact ? { contact: message.contact } : {}),
  };
}

/** Messages the conversation sends or sees sent besides Caty's WhatsApp replies: the website's replies, an agent typing on the business phone. */
export function createReplyActivities({ deps }: ConversationContext) {
  return {
    /** A reply as the website shows it: stored, which is how it reaches the visitor (the widget's stream reads new messages). Keyed like a WhatsApp send, so a retry stores it once. */
    recordWebReply(input: WebReply): Promise<void> {
      return recordSentMessage(deps, {
        conversationId: input.conversationId,
        widgetId: input.widgetId,
        idempotencyKey: input.idempotencyKey,
        to: input.visitor ?? '',
        text: input.text,
        rich: input.rich,
        author: input.author,
        language: input.language,
        messageId: input.idempotencyKey,
        at: new Date(),
        acceptedAt: input.acceptedAt ?? null,
        channel: 'web',
        mediaId: input.media?.id ?? null,
      });
    },

    /** A message typed on the business phone in the customer's chat: the agent speaking. */
    async recordAgentMessage(input: { conversationId: string; widgetId: string; customerPhone: string; message: InboundSignal }): Promise<void> {
      await recordSentMessage(deps, {
        ...attachmentOfSignal(input.message),
        conversationId: input.conversationId,
        widgetId: input.widgetId,
        idempotencyKey: input.message.id,
        to: input.customerPhone,
        text: input.message.text,
        rich: null,
        author: 'agent',
        language: null,
        messageId: input.message.id,
        at: new Date(input.message.at),
        channel: 'whatsapp',
      });
    },
  };
}
