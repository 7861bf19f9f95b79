import { sql, type Kysely, type RawBuilder, type Selectable, type Updateable } from 'kysely';
import type { Database, InboxTable } from '../db/schema.js';
import { classifyError } from '../activities/errors.js';
import { channelLink, type LinkedNumber } from '../db/queries/links.js';
import { NumberNotLinkedError, type InboundDelivery } from './deliver.js';
import type { InboundWhatsAppMessage } from '../activities/whatsapp/provider.js';

type InboxRow = Selectable<InboxTable>;
/** A row as it is claimed: with the message it waits behind, when its chat has an older file still to download. */
type ClaimedRow = InboxRow & { waiting_for?: string | null };

/**
 * How long a process may take to hand a claimed row over before another one may try. A file's
 * download may take longer (100 MB on a slow link): its claim is renewed while it runs.
 */
const CLAIM_MS = 30_000;
/** How long a caller waits for the first hand-over; it goes on in the background after that. */
const INLINE_WAIT_MS = 3000;
/** Retries back off from one second to a minute. */
const RETRY_INITIAL_MS = 1000;
const RETRY_MAX_MS = 60_000;
/** How often a message held behind its chat's file looks again. */
const HOLD_POLL_MS = 1000;

export interface InboxDeps {
  db: Kysely<Database>;
  deliverInbound: InboundDelivery;
  /**
   * Stores the file of a received message (WhatsApp's media); throws to have the message tried
   * again. `windowOver`: it has waited CATY_MEDIA_DOWNLOAD_WINDOW_MS, so it goes on without its file
   * rather than throw.
   */
  fetchMedia?: (message: InboundWhatsAppMessage, windowOver: boolean) => Promise<void>;
  /** CATY_MEDIA_DOWNLOAD_WINDOW_MS (default a day), counted from the message's arrival, so a restart does not reset it. */
  mediaDownloadWindowMs?: number;
  /** CATY_MEDIA_HOLD_MS (default a minute): a chat's later messages wait this long at most behind a file still to be downloaded. */
  mediaHoldMs?: number;
  /** How long a claim on a row lasts (30 s; tests shorten it). */
  claimMs?: number;
  log?: (line: string) => void;
}

const DEFAULT_DOWNLOAD_WINDOW_MS = 86_400_000;
const DEFAULT_HOLD_MS = 60_000;

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

  private readonly claimMs: number;

  constructor(private readonly deps: InboxDeps) {
    this.claimMs = deps.claimMs ?? CLAIM_MS;
  }

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
        next_attempt_at: sql<Date>`now() + make_interval(secs => ${this.claimMs / 1000})`,
      })
      .onConflict((oc) => oc.columns(['channel_id', 'message_id']).doNothing())
      .returningAll();
    // The statement also reads the channel's link, which the hand-over needs: one round trip
    // fewer for every inbound message.
    const link = channelLink(this.deps.db, sql.ref<string>('stored.channel_id'));
    const {
      rows: [stored],
    } = await sql<ClaimedRow & { link: LinkedNumber | null }>`
      with stored as (${insert})
      select stored.*, (select to_json(link) from (${link}) as link) as link, ${this.waitingFor(sql.raw('stored'))} as waiting_for
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
    const claimed = await sql<ClaimedRow & { phone: string | null }>`
      update inbox set next_attempt_at = now() + make_interval(secs => ${this.claimMs / 1000})
      from channels
      where channels.id = inbox.channel_id
        and (inbox.channel_id, inbox.message_id) in (
          select channel_id, message_id from inbox
          where status = 'pending' and next_attempt_at <= now()
          order by received_at
          limit ${limit}
          for update skip locked)
      returning inbox.*, channels.phone, ${this.waitingFor(sql.raw('inbox'))} as waiting_for`.execute(this.deps.db);
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

  /**
   * The message an inbox row must wait behind: the oldest earlier one of the same chat whose file
   * is still to be downloaded, for CATY_MEDIA_HOLD_MS after it arrived. A later text must not reach
   * the conversation before the photo it is about; nor may it wait long for a file that does not come.
   */
  private waitingFor(row: RawBuilder<unknown>) {
    const holdMs = this.deps.mediaHoldMs ?? DEFAULT_HOLD_MS;
    if (holdMs <= 0) return sql<string | null>`null::text`;
    return sql<string | null>`(
      select earlier.message_id from inbox earlier
      where earlier.channel_id = ${row}.channel_id and earlier.customer_phone = ${row}.customer_phone
        and earlier.status = 'pending' and earlier.media_source is not null
        and earlier.received_at < ${row}.received_at
        and earlier.received_at > now() - make_interval(secs => ${holdMs / 1000})
      order by earlier.received_at limit 1)`;
  }

  /** Still held: the claim's answer may be stale (the file it waited for went through in the same batch). */
  private async stillWaiting(row: InboxRow): Promise<string | null> {
    const { rows } = await sql<{ waiting_for: string | null }>`
      select ${this.waitingFor(sql.raw('inbox'))} as waiting_for from inbox
      where channel_id = ${row.channel_id} and message_id = ${row.message_id}`.execute(this.deps.db);
    return rows[0]?.waiting_for ?? null;
  }

  /**
   * Runs `work` with the row's claim renewed every third of a claim, so that no other process takes
   * the row (and starts the same download) while a large file is still arriving.
   */
  private async whileClaimed<T>(row: InboxRow, work: () => Promise<T>): Promise<T> {
    let renewing: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      renewing = renewing.then(() =>
        this.deps.db
          .updateTable('inbox')
          .set({ next_attempt_at: sql<Date>`now() + make_interval(secs => ${this.claimMs / 1000})` })
          .where('channel_id', '=', row.channel_id)
          .where('message_id', '=', row.message_id)
          .where('status', '=', 'pending')
          .execute()
          .catch((error: unknown) => this.deps.log?.(`inbox: the claim on ${row.message_id} could not be renewed: ${String(error)}`)),
      );
    }, this.claimMs / 3);
    try {
      return await work();
    } finally {
      clearInterval(timer);
      // A renewal still in flight must not land after the attempt's own outcome.
      await renewing;
    }
  }

  /** One attempt: delivered (the conversation id), or failed for good, or pending again with a backoff (null). */
  private async handOver(row: ClaimedRow, message: InboundWhatsAppMessage, link?: LinkedNumber): Promise<string | null> {
    const waiting = row.waiting_for ? await this.stillWaiting(row) : null;
    if (waiting) {
      // Not an attempt: the message is fine, its turn has not come.
      await this.deps.db
        .updateTable('inbox')
        .set({ next_attempt_at: new Date(Date.now() + HOLD_POLL_MS), last_error: `waiting for the file of message ${waiting}, sent before it in this chat` })
        .where('channel_id', '=', row.channel_id)
        .where('message_id', '=', row.message_id)
        .execute();
      return null;
    }
    const attempts = row.attempts + 1;
    let update: Updateable<InboxTable>;
    let conversationId: string | null = null;
    try {
      const windowOver = Date.now() - row.received_at.getTime() >= (this.deps.mediaDownloadWindowMs ?? DEFAULT_DOWNLOAD_WINDOW_MS);
      if (message.mediaSource && this.deps.fetchMedia) await this.whileClaimed(row, () => this.deps.fetchMedia!(message, windowOver));
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

