import type { Kysely } from 'kysely';
import type { ConversationMode, Database, MessageAuthor, RichContent, Widget } from '../../db/schema.js';
import type { CustomerMessageRoute } from '../../workflows/conversation/router.js';
import { replyKey } from '../../workflows/conversation/keys.js';
import { supportedCatalogueLanguages, systemMessage } from '../../workflows/i18n/catalogue.js';
import type { InboundSignal, MediaRef } from '../../workflows/conversation/signals.js';
import type { AiProvider } from '../ai/provider.js';
import { composeAnswer } from './compose-reply.js';
import { detectLanguage } from '../language/index.js';
import type { LanguageDetector } from '../language/detector.js';
import { recordMessage } from '../persistence/messages.js';
import { recordSentMessage } from './record-sent.js';
import type { SendWhatsAppInput } from '../whatsapp/session-activities.js';
import { conversationLink, findLink } from '../whatsapp/inbound-delivery.js';
import { messagesTotal, type Channel } from '../../observability/metrics.js';
import { emitEvent, recordMessageWithEvent, type EventDeps } from '../events/emit-event.js';
import { stableId } from '../ids.js';
import type { Lead } from '../../workflows/leads/extract.js';
import { widgetSource, type WidgetSource } from '../persistence/widgets.js';
import { conversationSettings, leadAlertPhone } from '../persistence/conversation-settings.js';
import type { ConversationLink, ConversationSettings } from '../../workflows/conversation/state.js';
import type { WorkFailure } from '../../workflows/conversation/effects.js';
import { findMedia } from '../../db/queries/media.js';
import { describeMedia } from '../../media/library.js';
import { readCustomerMessage, type MessageReading, type ReadingContext } from './read-message.js';
import { attachmentReply, hasAttachment } from '../../workflows/conversation/attachments.js';

import { agentOfActor } from '../../db/queries/people.js';
import { autoAssign } from '../../db/queries/inbox.js';

const MODE_EVENTS = { human: 'conversation.taken_over', ai: 'conversation.resumed', handoff_requested: 'conversation.handoff_requested' } as const;

export interface HandleCustomerMessageInput {
  customerPhone: string;
  /** The conversation's number for this piece of work: tells its own retries from redeliveries. */
  ingestKey: string;
  conversationId: string;
  widgetId: string;
  message: InboundSignal;
  previousLanguage: string | null;
  /** Set on the conversation's first customer message when it carries a QR/deep-link reference. */
  source?: string | null;
  /**
   * The conversation's state for reading the message here (see read-message.ts); the route then
   * is decided here too. Absent in histories recorded before: `route` is the workflow's.
   */
  reading?: ReadingContext;
  route?: CustomerMessageRoute;
  /** Absent in histories recorded before the metrics counted channels: WhatsApp. */
  channel?: Channel;
  /**
   * A voice note's words (null: it could not be transcribed). Set only for messages with an
   * attachment, where the conversation reads what it carries (absent in older histories).
   */
  transcript?: string | null;
  /**
   * Deliver the reply written here (the knowledge base's, a greeting) in this same activity, on a
   * channel this worker reaches itself: the website (`channelId` null) or a sandbox number. The
   * workflow asks only when nothing has to come before the reply.
   */
  deliverReply?: { channelId: string | null } | null;
}

export interface HandleCustomerMessageResult {
  language: string;
  confidence: number;
  defaultLanguage: string;
  /** A reply to this message was already sent (by an earlier run of this conversation). */
  alreadyAnswered: boolean;
  /** Stored for this piece of work (now or by a retried call); false for a redelivery of an old message. */
  firstDelivery: boolean;
  /** What Caty would answer; null when the route is silent or the message was answered. */
  reply: ComposedReply | null;
  /**
   * The answer is left to the workflow (`composeReply`): the configured provider is a model that
   * gets its own bounded retries before the knowledge base answers. Absent in older results.
   */
  replyDeferred?: boolean;
  /** The message as read here, when the workflow asked (`reading`). */
  read?: MessageReading;
  /** The widget's current settings, so changes reach running conversations. */
  settings: ConversationSettings;
  /** The reply went out here (see `deliverReply`); absent: the workflow sends it. */
  replyDelivered?: boolean;
}

export interface WebReply {
  conversationId: string;
  /** Absent in histories recorded before web replies were announced to webhooks. */
  widgetId?: string;
  visitor?: string;
  idempotencyKey: string;
  text: string;
  rich: RichContent | null;
  author: MessageAuthor;
  language: string | null;
  acceptedAt?: string | null;
  /** A file a person sends the visitor (absent in older histories). */
  media?: MediaRef | null;
}

export interface ComposedReply {
  text: string;
  topic: string | null;
  fromKnowledgeBase: boolean;
  /** The language the reply is really written in, when it differs from the customer's. */
  language?: string;
}


export interface ConversationActivityDeps {
  db: Kysely<Database>;
  ai: AiProvider;
  /** The knowledge-base provider the configured one falls back to (`ai` itself when omitted). */
  kb?: AiProvider;
  detector: LanguageDetector;
  events: EventDeps;
  /** See CATY_SEND_TIMEOUT_MS. */
  sendTimeoutMs?: number;
  /** Reads a widget (kept in memory by the worker); the database each time when absent. */
  widgets?: WidgetSource;
  /** Sends through a session this worker holds (the sandbox's), for replies delivered with their message. */
  sendWhatsApp?: (input: SendWhatsAppInput) => Promise<unknown>;
  /** The configured model sees photos (OPENAI_VISION_MODEL): a customer's photo goes to it. */
  seesImages?: boolean;
}

/** A catalogue reply is written in the customer's language when the catalogue has it. */
function replyLanguage(language: string, defaultLanguage: string): string {
  return supportedCatalogueLanguages.includes(language) ? language : defaultLanguage;
}

/** What a signal's attachment becomes on the stored message. */
function attachmentOfSignal(message: InboundSignal): { mediaId?: string; location?: InboundSignal['location']; contact?: InboundSignal['contact'] } {
  return {
    ...(message.media ? { mediaId: message.media.id } : {}),
    ...(message.location ? { location: message.location } : {}),
    ...(message.contact ? { contact: message.contact } : {}),
  };
}

export function createConversationActivities(deps: ConversationActivityDeps) {
  const { db } = deps;
  const settingsOf = (widget: Widget): ConversationSettings => ({ ...conversationSettings(widget), ...(deps.sendTimeoutMs ? { sendTimeoutMs: deps.sendTimeoutMs } : {}) });

  const widgetOf = widgetSource(db, deps.widgets);
  const composeDeps = { db, ai: deps.ai, kb: deps.kb ?? deps.ai };

  async function compose(widget: Widget, conversationId: string, message: InboundSignal, language: string, route: 'greet' | 'answer'): Promise<ComposedReply> {
    if (route === 'greet') {
      const greeting = systemMessage('qrFirstGreeting', language, { assistant: widget.assistant_name, business: widget.name }, widget.default_language);
      return { text: greeting, topic: null, fromKnowledgeBase: false };
    }
    // A model answers through composeReply (deferred by handleCustomerMessage); here only the knowledge base does.
    return composeAnswer(composeDeps, widget, { conversationId, messageId: message.id, text: message.text, language, provider: 'kb' });
  }

  /** A reply as the website shows it: stored, which is how it reaches the visitor (the widget's stream reads new messages). */
  function recordWebReply(input: WebReply): Promise<void> {
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
      const answered = !inserted && (await db
        .selectFrom('messages')
        .select('id')
        .where('conversation_id', '=', input.conversationId)
        .where('direction', '=', 'outbound')
        .where('external_id', '=', replyKey(input.message.id))
        .executeTakeFirst());
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

    /** A reply in a web conversation. Keyed like a WhatsApp send, so a retry stores it once. */
    recordWebReply,

    /**
     * The WhatsApp number a web conversation alerts the business from: the widget's linked one
     * (a connected channel first). Null when the widget has none, and the alert is skipped.
     */
    async findAlertChannel(input: { widgetId: string }): Promise<ConversationLink | null> {
      const link = await findLink(db, { widgetId: input.widgetId, inUseOnly: true });
      return link ? conversationLink(link) : null;
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

    /**
     * Keeps the conversation's lead current; when it was just captured or its score rose, records
     * `lead.captured` and says where the WhatsApp alert goes (if the widget wants one).
     */
    async saveLead(input: { conversationId: string; widgetId: string; customerPhone: string; lead: Lead; announce: boolean }): Promise<{ alertTo: string | null }> {
      const { lead } = input;
      const status = await db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('leads')
          .values({ conversation_id: input.conversationId, widget_id: input.widgetId, name: lead.name, phone: lead.phone, email: lead.email, interest: lead.interest, score: lead.score })
          .onConflict((oc) =>
            oc.column('conversation_id').doUpdateSet({ name: lead.name, phone: lead.phone, email: lead.email, interest: lead.interest, score: lead.score, updated_at: new Date() }),
          )
          .returning('status')
          .executeTakeFirstOrThrow();
        await trx.updateTable('conversations').set({ lead: JSON.stringify({ ...lead, status: row.status }) }).where('id', '=', input.conversationId).execute();
        return row.status;
      });
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
    async scheduleLeadCall(input: { conversationId: string }): Promise<boolean> {
      const row = await db
        .updateTable('leads')
        .set({ status: 'call_scheduled', updated_at: new Date() })
        .where('conversation_id', '=', input.conversationId)
        .returningAll()
        .executeTakeFirst();
      if (!row) return false;
      const lead = { name: row.name, phone: row.phone, email: row.email, interest: row.interest, score: row.score, status: row.status };
      await db.updateTable('conversations').set({ lead: JSON.stringify(lead) }).where('id', '=', input.conversationId).execute();
      return true;
    },

    async loadConversationSettings(input: { widgetId: string }): Promise<ConversationSettings> {
      return settingsOf(await widgetOf(input.widgetId));
    },

    /** Something that happened to the conversation besides messages (an alert sent, a timer fired). */
    async recordConversationEvent(input: {
      eventId: string;
      conversationId: string;
      kind: string;
      actor: string | null;
      reason: string | null;
      data: Record<string, unknown>;
    }): Promise<void> {
      await db
        .insertInto('conversation_events')
        .values({
          id: input.eventId,
          conversation_id: input.conversationId,
          kind: input.kind,
          actor: input.actor,
          reason: input.reason,
          data: JSON.stringify(input.data),
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },

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
        if (!stored.inserted && failure.what === 'work') await db.updateTable('messages').set({ failed_reason: failure.error }).where('id', '=', stored.id).execute();
      }
      await db
        .insertInto('conversation_events')
        .values({
          id: input.eventId,
          conversation_id: input.conversationId,
          kind: failure.what === 'send' ? 'message.failed' : 'work.failed',
          actor: 'system',
          reason: failure.error,
          data: JSON.stringify({ message_key: failure.messageKey, to_customer: failure.toCustomer ?? false }),
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
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

    /** `eventId` comes from the workflow, so a retried call stores the change once. */
    async saveConversationMode(input: {
      eventId: string;
      conversationId: string;
      widgetId: string;
      customerPhone: string;
      mode: ConversationMode;
      actor: string;
      reason: string;
    }): Promise<void> {
      // A person of the account (an actor `user:<id>`) is named on the conversation, the event and the webhook.
      const agent = await agentOfActor(db, input.actor);
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('conversations')
          .set({ mode: input.mode, held_by: input.mode === 'human' && agent ? JSON.stringify(agent) : null, mode_since: new Date() })
          .where('id', '=', input.conversationId)
          .execute();
        await trx
          .insertInto('conversation_events')
          .values({
            id: input.eventId,
            conversation_id: input.conversationId,
            kind: `mode.${input.mode}`,
            actor: input.actor,
            reason: input.reason,
            data: JSON.stringify({ mode: input.mode, ...(agent ? { agent } : {}) }),
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
      });
      if (input.mode === 'handoff_requested') await autoAssign(db, input.conversationId);
      await emitEvent(deps.events, {
        id: stableId('evt', input.eventId),
        widgetId: input.widgetId,
        event: MODE_EVENTS[input.mode],
        conversationId: input.conversationId,
        data: { conversation_id: input.conversationId, customer_phone: input.customerPhone, mode: input.mode, by: input.actor, reason: input.reason, ...(agent ? { agent } : {}) },
      });
    },
  };
}

export type ConversationActivities = ReturnType<typeof createConversationActivities>;
