import { recordConversationEvent } from '../../db/queries/conversations.js';
import { markMessageFailed, recordMessage } from '../../db/queries/messages.js';
import { stableId } from '../../db/ids.js';
import type { WorkFailure } from '../../workflows/conversation/effects.js';
import { emitEvent } from '../webhooks/emit-event.js';
import type { ConversationContext } from './deps.js';

export function createFailureActivities({ deps, db }: ConversationContext) {
  return {
    /**
     * Work the conversation had to give up on: a message that could not be sent, or an inbound
     * one whose handling can never succeed. It stays visible on the message and as an event.
     */
    async recordWorkFailure(input: { eventId: string; conversationId: string; widgetId: string; customerPhone: string; failure: WorkFailure }): Promise<void> {
      const { failure } = input;
      const onMessage = failure.messageKey !== null && failure.text !== null && (failure.what === 'work' || failure.toCustomer);
      if (onMessage) {
        const stored = await recordMessage(db, {
          conversationId: input.conversationId,
          externalId: failure.messageKey!,
          direction: failure.what === 'send' ? 'outbound' : 'inbound',
          author: failure.author ?? 'customer',
          text: failure.text!,
          failedReason: failure.error,
        });
        // An inbound message stored before its handling failed is marked; a send that was
        // stored went out after all, so it is left as it is.
        if (!stored.inserted && failure.what === 'work') await markMessageFailed(db, stored.id, failure.error);
      }
      await recordConversationEvent(db, {
        id: input.eventId,
        conversationId: input.conversationId,
        kind: failure.what === 'send' ? 'message.failed' : 'work.failed',
        actor: 'system',
        reason: failure.error,
        data: { message_key: failure.messageKey, to_customer: failure.toCustomer ?? false },
      });
      if (failure.what === 'send' && failure.toCustomer) {
        await emitEvent(deps.events, {
          id: stableId('evt', `failed:${input.conversationId}:${failure.messageKey}`),
          widgetId: input.widgetId,
          event: 'whatsapp.message.failed',
          conversationId: input.conversationId,
          data: { conversation_id: input.conversationId, to: input.customerPhone, text: failure.text, author: failure.author, error: failure.error },
        });
      }
    },
  };
}
