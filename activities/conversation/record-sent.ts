import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { MessageAuthor, RichContent, SharedContact, SharedLocation } from '../../workflows/conversation/domain.js';
import { findMedia } from '../../db/queries/media.js';
import { describeMedia } from '../../media/library.js';
import { recordMessageWithEvent, type EventDeps } from '../webhooks/emit-event.js';
import { stableId } from '../../db/ids.js';
import { recordMessage, type MessageRecord } from '../../db/queries/messages.js';
import { messagesTotal, replyLatency, type Channel } from '../../observability/metrics.js';

export interface SentMessage {
  conversationId: string;
  /** The widget whose webhooks hear `whatsapp.message.sent`; none, no event. */
  widgetId?: string | null;
  /** The send's key: the message's id in the conversation, and its event's. */
  idempotencyKey: string;
  /** The customer: a phone number, or a web visitor's session. */
  to: string;
  text: string;
  rich: RichContent | null;
  author: MessageAuthor;
  language: string | null;
  /** The id the channel gave the message (WhatsApp's), or the key on the web. */
  messageId: string;
  at: Date;
  /** When the customer message this answers was accepted: the reply's latency. */
  acceptedAt?: string | null;
  channel: Channel;
  /** A file (by id), a location or a contact card; `text` is then the caption. */
  mediaId?: string | null;
  location?: SharedLocation | null;
  contact?: SharedContact | null;
}

/** A message that reached the customer: stored in the conversation once, then announced once (one statement for both). */
export async function recordSentMessage(deps: { db: Kysely<Database>; events?: EventDeps | undefined }, sent: SentMessage): Promise<void> {
  const record: MessageRecord = {
    conversationId: sent.conversationId,
    externalId: sent.idempotencyKey,
    direction: 'outbound',
    author: sent.author,
    text: sent.text,
    language: sent.language,
    rich: sent.rich,
    at: sent.at,
    mediaId: sent.mediaId ?? null,
    location: sent.location ?? null,
    contact: sent.contact ?? null,
  };
  const file = sent.mediaId ? await findMedia(deps.db, sent.mediaId) : undefined;
  const { inserted } =
    sent.widgetId && deps.events
      ? await recordMessageWithEvent(deps.events, record, {
          id: stableId('evt', `sent:${sent.conversationId}:${sent.idempotencyKey}`),
          widgetId: sent.widgetId,
          event: 'whatsapp.message.sent',
          conversationId: sent.conversationId,
          data: {
            to: sent.to,
            text: sent.text,
            timestamp: sent.at.toISOString(),
            conversation_id: sent.conversationId,
            author: sent.author,
            message_id: sent.messageId,
            ...(sent.rich?.buttons ? { buttons: sent.rich.buttons } : {}),
            ...(sent.rich?.list ? { list: sent.rich.list } : {}),
            ...(file ? { media: describeMedia(file) } : {}),
            ...(sent.location ? { location: sent.location } : {}),
            ...(sent.contact ? { contact: sent.contact } : {}),
          },
        })
      : await recordMessage(deps.db, record);
  if (inserted) {
    messagesTotal.inc({ direction: 'out', channel: sent.channel });
    if (sent.acceptedAt) replyLatency.observe({ channel: sent.channel }, Math.max(0, sent.at.getTime() - Date.parse(sent.acceptedAt)) / 1000);
  }
}
