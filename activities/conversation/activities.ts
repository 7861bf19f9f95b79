import type { Kysely } from 'kysely';
import type { ConversationMode, Database } from '../../db/schema.js';
import { systemMessage, type MessageKey } from '../../workflows/i18n/catalogue.js';
import type { InboundSignal } from '../../workflows/conversation/signals.js';
import type { AiProvider } from '../ai/provider.js';
import { detectLanguage } from '../language/index.js';
import type { LanguageDetector } from '../language/detector.js';
import { recordMessage } from '../persistence/messages.js';
import { aiProfile, loadWidget } from '../persistence/widgets.js';

export interface IngestInboundInput {
  conversationId: string;
  widgetId: string;
  message: InboundSignal;
  previousLanguage: string | null;
  /** Set on the conversation's first customer message when it carries a QR/deep-link reference. */
  source?: string | null;
}

export interface IngestInboundResult {
  language: string;
  confidence: number;
  /** A reply to this message was already sent (by an earlier run of this conversation). */
  alreadyAnswered: boolean;
  defaultLanguage: string;
}

export interface ComposeReplyInput {
  widgetId: string;
  conversationId: string;
  text: string;
  language: string;
  route: 'greet' | 'answer';
}

export interface ComposedReply {
  text: string;
  topic: string | null;
  fromKnowledgeBase: boolean;
}

/** The idempotency key of Caty's reply to one inbound message: one message, at most one reply. */
export function replyKey(inboundId: string): string {
  return `reply:${inboundId}`;
}

export function createConversationActivities(deps: { db: Kysely<Database>; ai: AiProvider; detector: LanguageDetector }) {
  const { db } = deps;

  async function history(conversationId: string) {
    const rows = await db
      .selectFrom('messages')
      .select(['author', 'text'])
      .where('conversation_id', '=', conversationId)
      .orderBy('at', 'desc')
      .limit(10)
      .execute();
    return rows.reverse();
  }

  return {
    /** Stores a customer message (once), detects its language and updates the conversation. */
    async ingestInbound(input: IngestInboundInput): Promise<IngestInboundResult> {
      const widget = await loadWidget(db, input.widgetId);
      const detection = await detectLanguage(deps.detector, input.message.text, {
        previous: input.previousLanguage,
        defaultLanguage: widget.default_language,
      });
      await recordMessage(db, {
        conversationId: input.conversationId,
        externalId: input.message.id,
        direction: 'inbound',
        author: 'customer',
        text: input.message.text,
        language: detection.language,
        at: new Date(input.message.at),
      });
      await db
        .updateTable('conversations')
        .set({ language: detection.language, ...(input.source ? { source: input.source } : {}) })
        .where('id', '=', input.conversationId)
        .execute();
      const answered = await db
        .selectFrom('messages')
        .select('id')
        .where('conversation_id', '=', input.conversationId)
        .where('direction', '=', 'outbound')
        .where('external_id', '=', replyKey(input.message.id))
        .executeTakeFirst();
      return {
        language: detection.language,
        confidence: detection.confidence,
        alreadyAnswered: answered !== undefined,
        defaultLanguage: widget.default_language,
      };
    },

    /** A message typed on the business phone in the customer's chat: the agent speaking. */
    async recordAgentMessage(input: { conversationId: string; message: InboundSignal }): Promise<void> {
      await recordMessage(db, {
        conversationId: input.conversationId,
        externalId: input.message.id,
        direction: 'outbound',
        author: 'agent',
        text: input.message.text,
        at: new Date(input.message.at),
      });
    },

    async composeReply(input: ComposeReplyInput): Promise<ComposedReply> {
      const widget = await loadWidget(db, input.widgetId);
      if (input.route === 'greet') {
        const text = systemMessage('qrFirstGreeting', input.language, { assistant: widget.assistant_name, business: widget.name }, widget.default_language);
        return { text, topic: null, fromKnowledgeBase: false };
      }
      const answer = await deps.ai.answer({
        widget: aiProfile(widget),
        message: input.text,
        language: input.language,
        history: await history(input.conversationId),
      });
      if (answer) return { text: answer.text, topic: answer.topic, fromKnowledgeBase: answer.topic !== null };
      return { text: systemMessage('fallback', input.language, {}, widget.default_language), topic: null, fromKnowledgeBase: false };
    },

    /** A catalogue text in the conversation's language, with the widget's names filled in. */
    async systemText(input: { widgetId: string; key: MessageKey; language: string | null }): Promise<string> {
      const widget = await loadWidget(db, input.widgetId);
      return systemMessage(input.key, input.language, { assistant: widget.assistant_name, business: widget.name }, widget.default_language);
    },

    /** `eventId` comes from the workflow, so a retried call stores the change once. */
    async saveConversationMode(input: {
      eventId: string;
      conversationId: string;
      mode: ConversationMode;
      actor: string;
      reason: string;
    }): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('conversations').set({ mode: input.mode }).where('id', '=', input.conversationId).execute();
        await trx
          .insertInto('conversation_events')
          .values({
            id: input.eventId,
            conversation_id: input.conversationId,
            kind: `mode.${input.mode}`,
            actor: input.actor,
            reason: input.reason,
            data: JSON.stringify({ mode: input.mode }),
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
      });
    },
  };
}

export type ConversationActivities = ReturnType<typeof createConversationActivities>;
