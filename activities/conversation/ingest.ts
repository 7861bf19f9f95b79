import { findMedia } from '../../db/queries/media.js';
import { hasOutbound } from '../../db/queries/messages.js';
import { stableId } from '../../db/ids.js';
import type { Widget } from '../../db/schema.js';
import { describeMedia } from '../../media/library.js';
import { messagesTotal } from '../../observability/metrics.js';
import type { ComposedReply, HandleCustomerMessageInput, HandleCustomerMessageResult } from '../../workflows/conversation/activity-types.js';
import { attachmentReply, hasAttachment } from '../../workflows/conversation/attachments.js';
import { replyKey } from '../../workflows/conversation/keys.js';
import type { InboundSignal } from '../../workflows/conversation/signals.js';
import { supportedCatalogueLanguages, systemMessage } from '../../workflows/i18n/catalogue.js';
import { detectLanguage } from '../language/index.js';
import { recordMessageWithEvent } from '../webhooks/emit-event.js';
import { composeAnswer } from './compose-reply.js';
import type { ConversationContext } from './deps.js';
import { readCustomerMessage } from './read-message.js';
import { createReplyActivities } from './replies.js';

/** A catalogue reply is written in the customer's language when the catalogue has it. */
function replyLanguage(language: string, defaultLanguage: string): string {
  return supportedCatalogueLanguages.includes(language) ? language : defaultLanguage;
}

/** A customer message in: stored once, read, and answered when the answer is the knowledge base's or the catalogue's. */
export function createIngestActivities(context: ConversationContext) {
  const { deps, db, widgetOf, settingsOf } = context;
  const composeDeps = { db, ai: deps.ai, kb: deps.kb ?? deps.ai };
  const { recordWebReply } = createReplyActivities(context);

  async function compose(widget: Widget, conversationId: string, message: InboundSignal, language: string, route: 'greet' | 'answer'): Promise<ComposedReply> {
    if (route === 'greet') {
      const greeting = systemMessage('qrFirstGreeting', language, { assistant: widget.assistant_name, business: widget.name }, widget.default_language);
      return { text: greeting, topic: null, fromKnowledgeBase: false };
    }
    // A model answers through composeReply (deferred by handleCustomerMessage); here only the knowledge base does.
    return composeAnswer(composeDeps, widget, { conversationId, messageId: message.id, text: message.text, language, provider: 'kb' });
  }

  /**
   * Caty's reply, sent by the activity that wrote it. A sandbox send that cannot go out now is
   * left to the workflow's own send, which keeps trying for as long as a send may.
   */
  async function deliverReply(input: HandleCustomerMessageInput, reply: ComposedReply, language: string): Promise<boolean> {
    const channelId = input.deliverReply?.channelId ?? null;
    const key = replyKey(input.message.id);
    const message = { conversationId: input.conversationId, widgetId: input.widgetId, idempotencyKey: key, text: reply.text, rich: null, author: 'ai' as const, language: reply.language ?? language, acceptedAt: input.message.at };
    if (input.channel === 'web') {
      await recordWebReply({ ...message, visitor: input.customerPhone });
      return true;
    }
    if (!channelId || !deps.sendWhatsApp) return false;
    try {
      await deps.sendWhatsApp({ ...message, channelId, to: input.customerPhone });
      return true;
    } catch {
      return false;
    }
  }

  return {
    /**
     * Stores a customer message (once), detects its language, updates the conversation and, when
     * the workflow asks for one, writes Caty's reply. One activity, so a message costs one round
     * trip before its reply is sent.
     */
    async handleCustomerMessage(input: HandleCustomerMessageInput): Promise<HandleCustomerMessageResult> {
      const widget = await widgetOf(input.widgetId);
      const { message } = input;
      // What the customer said: a voice note's words count exactly as if typed.
      const understood = input.transcript ?? message.text;
      const file = message.media ? await findMedia(db, message.media.id) : undefined;
      const detection = await detectLanguage(deps.detector, understood, {
        previous: input.previousLanguage,
        defaultLanguage: widget.default_language,
      });
      // The message and its `whatsapp.message.received` event, in one statement.
      const { inserted } = await recordMessageWithEvent(
        deps.events,
        {
          conversationId: input.conversationId,
          externalId: input.message.id,
          direction: 'inbound',
          author: 'customer',
          text: input.message.text,
          language: detection.language,
          at: new Date(input.message.at),
          ingestKey: input.ingestKey,
          mediaId: file?.id ?? null,
          location: message.location ?? null,
          contact: message.contact ?? null,
          transcript: input.transcript ?? null,
          conversationUpdate: { language: detection.language, ...(input.source ? { source: input.source } : {}) },
        },
        {
          id: stableId('evt', `received:${input.conversationId}:${input.message.id}`),
          widgetId: input.widgetId,
          event: 'whatsapp.message.received',
          conversationId: input.conversationId,
          data: {
            from: input.customerPhone,
            text: input.message.text,
            timestamp: input.message.at,
            conversation_id: input.conversationId,
            message_id: input.message.id,
            language: detection.language,
            ...(input.message.replyId ? { reply_id: input.message.replyId } : {}),
            ...(file ? { media: describeMedia(file, input.transcript) } : {}),
            ...(message.location ? { location: message.location } : {}),
            ...(message.contact ? { contact: message.contact } : {}),
          },
        },
      );
      if (inserted) messagesTotal.inc({ direction: 'in', channel: input.channel ?? 'whatsapp' });
      const settings = settingsOf(widget);
      const read = input.reading
        ? readCustomerMessage(understood, input.reading, { businessHours: settings.businessHours ?? null, language: detection.language })
        : undefined;
      const route = read?.route ?? input.route ?? 'answer';
      // A reply goes out with its message only when nothing has to come before it (an away message).
      const deliverable = read ? read.hours?.open !== false && input.reading!.mode === 'ai' : true;
      const base = {
        language: detection.language,
        confidence: detection.confidence,
        defaultLanguage: widget.default_language,
        settings,
        firstDelivery: inserted,
        ...(read ? { read } : {}),
      };
      if (route === 'silent') return { ...base, alreadyAnswered: false, reply: null };
      // Stored by this piece of work (now, or by an attempt of it that never finished): this work
      // answers it, and a reply an unfinished attempt did send is not sent twice (its key). Only a
      // redelivery of an older message needs to look.
      const answered = !inserted && (await hasOutbound(db, input.conversationId, replyKey(input.message.id)));
      if (answered) return { ...base, alreadyAnswered: true, reply: null };
      const photo = message.media?.kind === 'image' && deps.seesImages === true;
      let reply: ComposedReply | null;
      if (hasAttachment(message) && !understood.trim() && !photo) {
        // Nothing to answer in words: the catalogue says what Caty did with it (or nothing, for a sticker).
        const key = attachmentReply(message);
        if (!key) return { ...base, alreadyAnswered: false, reply: null };
        reply = { text: systemMessage(key, detection.language, {}, widget.default_language), topic: null, fromKnowledgeBase: false, language: replyLanguage(detection.language, widget.default_language) };
      } else if (route === 'answer' && deps.ai.name !== 'kb' && (photo || !message.media || understood.trim())) {
        return { ...base, alreadyAnswered: false, reply: null, replyDeferred: true };
      } else {
        reply = await compose(widget, input.conversationId, { ...message, text: understood }, detection.language, route);
      }
      const delivered = input.deliverReply && deliverable ? await deliverReply(input, reply, detection.language) : false;
      return { ...base, alreadyAnswered: false, reply, ...(delivered ? { replyDelivered: true } : {}) };
    },
  };
}
