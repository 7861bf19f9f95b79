import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { MessageAuthor, RichContent } from '../../workflows/conversation/domain.js';
import { recordSentMessage } from '../conversation/record-sent.js';
import type { EventDeps } from '../webhooks/emit-event.js';
import { SessionNotOpenError, type WhatsAppSession } from './provider.js';
import type { MediaRef } from '../../workflows/conversation/signals.js';

export interface SendWhatsAppInput {
  channelId: string;
  to: string;
  text: string;
  rich?: RichContent | null;
  /** A file to send (its bytes from the media store); `text` is its caption. */
  media?: MediaRef | null;
  idempotencyKey: string;
  /** When set, the sent message is stored in this conversation's history. */
  conversationId?: string | null;
  /** With conversationId: the widget whose webhooks hear `whatsapp.message.sent`. */
  widgetId?: string | null;
  author: MessageAuthor;
  language?: string | null;
  /** ISO time the customer message this answers was accepted (accept-to-reply latency). */
  acceptedAt?: string | null;
}

export interface SendWhatsAppResult {
  providerMessageId: string;
  sentAt: string;
}

/** Finds the open session of a channel in this process, or says it is not here. */
export type SessionLookup = (channelId: string) => Promise<WhatsAppSession | undefined>;

/**
 * The activities that need a channel's live connection. They run where the session is:
 * the owning gateway worker for a real socket, any conversation worker for the sandbox.
 */
export function createSessionActivities(deps: { db: Kysely<Database>; sessions: SessionLookup; events?: EventDeps }) {
  async function unavailable(channelId: string): Promise<ApplicationFailure> {
    const channel = await deps.db.selectFrom('channels').select('removed_at').where('id', '=', channelId).executeTakeFirst();
    // A removed channel never comes back: waiting a day for it would only hold the conversation up.
    if (!channel || channel.removed_at) return ApplicationFailure.nonRetryable(`channel ${channelId} was removed`, 'ChannelRemoved');
    // Retryable: the owner may be reconnecting, or a new owner may be taking over.
    return ApplicationFailure.retryable(`channel ${channelId} has no open session in this worker`, 'SessionUnavailable');
  }

  async function session(channelId: string): Promise<WhatsAppSession> {
    const found = await deps.sessions(channelId);
    if (found) return found;
    throw await unavailable(channelId);
  }

  return {
    async sendWhatsAppMessage(input: SendWhatsAppInput): Promise<SendWhatsAppResult> {
      const open = await session(input.channelId);
      const { providerMessageId } = await open
        .send({ to: input.to, text: input.text, rich: input.rich ?? null, idempotencyKey: input.idempotencyKey, ...(input.media ? { media: input.media } : {}) })
        .catch(async (error: unknown) => {
          throw error instanceof SessionNotOpenError ? await unavailable(input.channelId) : error;
        });
      const sentAt = new Date();
      if (input.conversationId) {
        await recordSentMessage(deps, {
          conversationId: input.conversationId,
          widgetId: input.widgetId,
          idempotencyKey: input.idempotencyKey,
          to: input.to,
          text: input.text,
          rich: input.rich ?? null,
          author: input.author,
          language: input.language ?? null,
          messageId: providerMessageId,
          at: sentAt,
          acceptedAt: input.acceptedAt ?? null,
          channel: 'whatsapp',
          mediaId: input.media?.id ?? null,
        });
      }
      return { providerMessageId, sentAt: sentAt.toISOString() };
    },

    async markWhatsAppRead(input: { channelId: string; customerPhone: string; messageIds: string[] }): Promise<void> {
      await (await session(input.channelId)).markRead(input.customerPhone, input.messageIds);
    },

    async setWhatsAppTyping(input: { channelId: string; customerPhone: string; typing: boolean }): Promise<void> {
      await (await session(input.channelId)).setTyping(input.customerPhone, input.typing);
    },

    async deleteWhatsAppMessage(input: { channelId: string; customerPhone: string; messageId: string; fromMe: boolean }): Promise<void> {
      await (await session(input.channelId)).deleteForEveryone(input.customerPhone, input.messageId, input.fromMe);
    },
  };
}

export type SessionActivities = ReturnType<typeof createSessionActivities>;
