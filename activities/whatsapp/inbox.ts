import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { Database, InboxTable } from '../../db/schema.js';
import { classifyError } from '../errors.js';
import { channelLink, NumberNotLinkedError, type InboundDelivery, type LinkedNumber } from './inbound-delivery.js';
import type { InboundWhatsAppMessage } from './provider.js';

type InboxRow = Selectable<InboxTable>;

/** How long a process may take to hand a claimed row over before another one may try. */
const CLAIM_MS = 30_000;
/** How long a caller waits for the first hand-over; it goes on in the background after that. */
const INLINE_WAIT_MS = 3000;
/**
 * A received file is downloaded before its message is handed over; after this many failed
 * attempts (about four minutes with the backoff below) the message goes on without its bytes.
 */
export const MEDIA_DOWNLOAD_ATTEMPTS = 8;
/** Retries back off from one second to a minute. */
const RETRY_INITIAL_MS = 1000;
const RETRY_MAX_MS = 60_000;

export interface InboxDeps {
  db: Kysely<Database>;
  deliverInbound: InboundDelivery;
  /** Stores the file of a received message (WhatsApp's media); throws to have the message tried again. */
  fetchMedia?: (message: InboundWhatsAppMessage, lastAttempt: boolean) => Promise<void>;
  log?: (line: string) => void;
}

export interface AcceptedMessage {
  /** False for a message this inbox already had (a redelivery, a retried request). */
  stored: boolean;
  /** The conversation has it (now or before). */
  delivered: boolean;
  /** The conversation it went to, once delivered. */
  conversationId: string | null;
}

function backoffMs(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_INITIAL_MS * 2 ** Math.max(0, attempts - 1));
}

function toMessage(row: InboxRow, businessPhone: string): InboundWhatsAppMessage {
  return {
    id: row.message_id,
    channelId: row.channel_id,
    businessPhone,
    customerPhone: row.customer_phone,
    fromMe: row.from_me,
    text: row.text,
    ...(row.reply_id ? { replyId: row.reply_id } : {}),
    timestamp: row.sent_at,
    ...(row.attachment ? { attachment: row.attachment as InboundWhatsAppMessage['attachment'] } : {}),
    ...(row.media_source ? { mediaSource: row.media_source as unknown as InboundWhatsAppMessage['mediaSource'] } : {}),
  };
}

/**
 * Every inbound message is stored here first, then handed to its conversation until Temporal has
 * it: at once by the process that received it, and later by any process's relay if that failed
 * (Temporal away, the process gone). A message that can never be delivered is marked failed with
 * the reason; one bad message never holds up the others.
 */
export class Inbox {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly deps: InboxDeps) {}

  /** Stores the message (once) and hands it over at once; it stays pending for the relay if that fails. */
  async accept(message: InboundWhatsAppMessage): Promise<AcceptedMessage> {
    const insert = this.deps.db
      .insertInto('inbox')
      .values({
        channel_id: message.channelId,
        message_id: message.id,
        customer_phone: message.customerPhone,
        from_me: message.fromMe,
        // PostgreSQL text cannot hold NUL; nothing a person typed is lost without it.
        text: message.text.replaceAll('\u0000', ''),
        reply_id: message.replyId ?? null,
        sent_at: message.timestamp,
        attachment: message.attachment ? JSON.stringify(message.attachment) : null,
        media_source: message.mediaSource ? JSON.stringify(message.mediaSource) : null,
        // Claimed by this process while it hands the message over.
        next_attempt_at: sql<Date>`now() + make_interval(secs => ${CLAIM_MS / 1000})`,
      })
      .onConflict((oc) => oc.columns(['channel_id', 'message_id']).doNothing())
      .returningAll();
    // The statement also reads the channel's link, which the hand-over needs: one round trip
    // fewer for every inbound message.
    const link = channelLink(this.deps.db, sql.ref<string>('stored.channel_id'));
    const {
      rows: [stored],
    } = await sql<InboxRow & { link: LinkedNumber | null }>`
      with stored as (${insert})
      select stored.*, (select to_json(link) from (${link}) as link) as link
      from stored`.execute(this.deps.db);
    if (!stored) {
      const existing = await this.deps.db
        .selectFrom('inbox')
        .selectAll()
        .where('channel_id', '=', message.channelId)
        .where('message_id', '=', message.id)
        .executeTakeFirstOrThrow();
      return { stored: false, delivered: existing.status === 'delivered', conversationId: existing.conversation_id };
    }
    // Temporal away: the client keeps trying for a while, but the message is safe already, so the
    // caller gets its answer and the attempt finishes (or is rescheduled) in the background.
    const handedOver = this.handOver(stored, message, stored.link ?? undefined);
    const conversationId = await Promise.race([handedOver, new Promise<null>((resolve) => setTimeout(() => resolve(null), INLINE_WAIT_MS).unref())]);
    return { stored: true, delivered: conversationId !== null, conversationId };
  }

  /** Hands pending messages over, oldest first; returns how many it tried. */
  async relayOnce(limit = 50): Promise<number> {
    const claimed = await sql<InboxRow & { phone: string | null }>`
      update inbox set next_attempt_at = now() + make_interval(secs => ${CLAIM_MS / 1000})
      from channels
      where channels.id = inbox.channel_id
        and (inbox.channel_id, inbox.message_id) in (
          select channel_id, message_id from inbox
          where status = 'pending' and next_attempt_at <= now()
          order by received_at
          limit ${limit}
          for update skip locked)
      returning inbox.*, channels.phone`.execute(this.deps.db);
    for (const row of claimed.rows) await this.handOver(row, toMessage(row, row.phone ?? ''));
    return claimed.rows.length;
  }

  /** Relays every second (and at once when asked), until stopped. */
  start(intervalMs = 1000): void {
    const tick = async () => {
      try {
        while (!this.stopped && (await this.relayOnce()) > 0);
      } catch (error) {
        this.deps.log?.(`inbox relay: ${String(error)}`);
      }
      if (!this.stopped) this.timer = setTimeout(() => (this.running = tick()), intervalMs);
    };
    this.running = tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One attempt: delivered (the conversation id), or failed for good, or pending again with a backoff (null). */
  private async handOver(row: InboxRow, message: InboundWhatsAppMessage, link?: LinkedNumber): Promise<string | null> {
    const attempts = row.attempts + 1;
    let update: Updateable<InboxTable>;
    let conversationId: string | null = null;
    try {
      if (message.mediaSource && this.deps.fetchMedia) await this.deps.fetchMedia(message, attempts >= MEDIA_DOWNLOAD_ATTEMPTS);
      conversationId = (await this.deps.deliverInbound(message, link)).conversationId;
      update = { status: 'delivered', delivered_at: new Date(), conversation_id: conversationId, attempts, last_error: null, media_source: null };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const never = error instanceof NumberNotLinkedError || classifyError(error) === 'permanent';
      update = { status: never ? 'failed' : 'pending', attempts, last_error: reason, next_attempt_at: new Date(Date.now() + backoffMs(attempts)) };
      this.deps.log?.(`inbox: message ${row.message_id} on ${row.channel_id} ${never ? 'cannot be delivered' : `not delivered yet (attempt ${attempts})`}: ${reason}`);
    }
    await this.deps.db
      .updateTable('inbox')
      .set(update)
      .where('channel_id', '=', row.channel_id)
      .where('message_id', '=', row.message_id)
      .execute();
    return conversationId;
  }
}

