import { createHash } from 'node:crypto';
import { decryptPollVote, jidNormalizedUser, proto, type BaileysEventMap, type WAMessageKey } from '@whiskeysockets/baileys';
import { sql, type Kysely } from 'kysely';
import type { Database, MenuItem } from '../../../db/schema.js';
import { classifyError, UNEXPECTED_ERROR_ATTEMPTS } from '../../errors.js';
import { stableId } from '../../../db/ids.js';
import { matchMenuAnswer, matchPollVote } from '../menu.js';
import type { InboundWhatsAppMessage } from '../provider.js';
import { storedPhoneForLid } from './auth-store.js';
import type { KeyRing } from '../../../config/key-ring.js';
import type { InboundSpool, SpooledUser, SpoolEntry } from './inbound-spool.js';
import { jidFromPhone, phoneFromJid } from './jids.js';
import type { LogLine } from './logger.js';
import { mapMessage, type LidResolver, type MappedPollVote, type MappedText } from './message-mapping.js';
import type { BaileysSocket } from './socket.js';

/** A numbered menu answer counts only while the menu is fresh; later "2" is just a message. */
const MENU_ANSWER_WINDOW_MS = 24 * 60 * 60 * 1000;
const RECENT_LIMIT = 5000;
/** A message that failed in a way we cannot place is tried again this long after (WHATSAPP_SET_ASIDE_RETRY_MS). */
const SET_ASIDE_RETRY_MS = 60_000;

/** What reading a message needs from its channel's account: who we are, and how to turn a LID into a number. */
interface ReadContext {
  user: SpooledUser | null;
  resolveLid: LidResolver;
}

export interface InboundOptions {
  db: Kysely<Database>;
  channelId: string;
  /** Stores the message in the inbox (which hands it to its conversation); resolves once it is durable. */
  store: (message: InboundWhatsAppMessage) => Promise<unknown>;
  /** Where a message is kept, on local disk, from the moment Baileys hands it over until the inbox has it. */
  spool: InboundSpool;
  /** Opens the channel's stored credentials (the LID mapping, when no socket is there to ask). */
  keys: KeyRing;
  log: LogLine;
  /** The longest pause between attempts to store a message while the database is away. */
  maxStoreBackoffMs?: number;
  /** How long a message set aside after errors we cannot place waits before it is tried again. */
  setAsideRetryMs?: number | undefined;
}

/**
 * Turns `messages.upsert` batches into conversation messages: both `notify` (live) and `append`
 * (queued while we were offline, or typed on the business phone), each message id once, in order.
 *
 * Baileys has acknowledged a message to WhatsApp before we see it, so nobody will send it again:
 * each batch goes to the local spool (fsynced) before anything else, and a message leaves the
 * spool only once the inbox in PostgreSQL has it. While the database is away the messages wait
 * there, in order, and are stored as soon as it is back; what an earlier run of this process left
 * (a crash, a restart with the database still away) is stored first when the channel opens again.
 */
export class InboundProcessor {
  private readonly recent = new Set<string>();
  /** The exact key each recent message arrived with: receipts and deletions must use the same JID (PN or LID). */
  readonly keys = new Map<string, WAMessageKey>();
  private chain: Promise<void> = Promise.resolve();
  /** Set while messages set aside after errors we could not place wait to be tried again. */
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: InboundOptions) {
    void this.enqueue(() => this.drain(options.spool.pending(options.channelId), null));
  }

  /** Queues a batch behind the previous ones; the promise settles when this batch is done. */
  handle(socket: BaileysSocket, upsert: BaileysEventMap['messages.upsert']): Promise<void> {
    if (upsert.type !== 'notify' && upsert.type !== 'append') return this.chain;
    const { spool, channelId } = this.options;
    const fresh = upsert.messages.filter((m) => m.key?.id && !this.recent.has(m.key.id));
    // Synchronously, before anything else runs: from here on the message survives a crash.
    const entries = spool.append(channelId, fresh, socket.user ? { id: socket.user.id, lid: socket.user.lid ?? undefined } : null);
    return this.enqueue(() => this.drain(entries, socket));
  }

  /** Runs after every batch queued before it, so messages keep their order. */
  private enqueue(work: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(work).catch((error: unknown) => this.options.log('error', `inbound batch failed: ${String(error)}`, error));
    return this.chain;
  }

  /**
   * Tries what was set aside again after a while, on its own: a quiet number may get no other
   * message for hours. What the spool still holds then, minus what this process stored since.
   */
  private retrySetAsideLater(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      const { spool, channelId } = this.options;
      void this.enqueue(() => this.drain(spool.pending(channelId).filter((e) => !this.recent.has(e.message.key.id!)), null));
    }, this.options.setAsideRetryMs ?? SET_ASIDE_RETRY_MS);
    // The spool keeps the message across a restart; this timer need not keep the process up.
    this.retryTimer.unref();
  }

  private async drain(entries: SpoolEntry[], socket: BaileysSocket | null): Promise<void> {
    const context: ReadContext = socket
      ? { user: socket.user ?? null, resolveLid: async (lid) => socket.signalRepository.lidMapping.getPNForLID(lid).catch(() => null) }
      : { user: null, resolveLid: (lid) => storedPhoneForLid(this.options.db, this.options.keys, this.options.channelId, lid) };
    for (const entry of entries) await this.take(entry, { ...context, user: context.user ?? entry.user });
  }

  /**
   * Reads one spooled message and stores it in the inbox. While the database is away this keeps
   * trying (the message exists nowhere else); one that fails in a way we cannot place is set
   * aside in the spool after a few tries, so it does not hold up the others, and tried again later.
   */
  private async take(entry: SpoolEntry, context: ReadContext): Promise<void> {
    const id = entry.message.key.id!;
    const maxBackoff = this.options.maxStoreBackoffMs ?? 30_000;
    for (let attempt = 1; ; attempt++) {
      try {
        const message = await this.read(context, id, entry.message);
        if (message) await this.options.store(message);
        this.options.spool.done(entry);
        this.remember(id);
        return;
      } catch (error) {
        if (classifyError(error) !== 'transient' && attempt >= UNEXPECTED_ERROR_ATTEMPTS) {
          this.options.log('error', `message ${id} on ${this.options.channelId} could not be stored; it stays in the spool and is tried again later`, error);
          this.retrySetAsideLater();
          return;
        }
        this.options.log('warn', `message ${id} on ${this.options.channelId} not stored yet (attempt ${attempt}): ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(maxBackoff, 200 * 2 ** attempt)));
      }
    }
  }

  private async read(context: ReadContext, id: string, raw: BaileysEventMap['messages.upsert']['messages'][number]): Promise<InboundWhatsAppMessage | null> {
    // A redelivery after a reconnect: already in the inbox, nothing to decrypt or map again.
    if (await this.seen(id)) return null;
    const businessPhone = phoneFromJid(context.user?.id ? jidNormalizedUser(context.user.id) : undefined) ?? (await this.channelPhone());
    if (!businessPhone) throw new Error(`channel ${this.options.channelId} has no number yet`);
    const mapped = await mapMessage(raw, context.resolveLid);
    if (!mapped) return null;
    this.rememberKey(id, raw.key);
    const base = { id, channelId: this.options.channelId, businessPhone, customerPhone: mapped.customerPhone, fromMe: mapped.fromMe, timestamp: mapped.timestamp };
    if (mapped.kind === 'poll_vote') {
      const answer = await this.pollAnswer(context.user, mapped);
      return answer ? { ...base, text: answer.title, replyId: answer.id } : null;
    }
    const replyId = mapped.replyId ?? (mapped.fromMe || !mapped.text ? undefined : await this.menuAnswer(mapped.customerPhone, mapped.text));
    return { ...base, text: mapped.text, ...(replyId ? { replyId } : {}), ...attachmentOf(this.options.channelId, raw.key, mapped) };
  }

  private async seen(id: string): Promise<boolean> {
    const row = await this.options.db
      .selectFrom('inbox')
      .select('message_id')
      .where('channel_id', '=', this.options.channelId)
      .where('message_id', '=', id)
      .executeTakeFirst()
      .catch(() => undefined);
    return row !== undefined;
  }

  private remember(id: string): void {
    this.recent.add(id);
    if (this.recent.size > RECENT_LIMIT) this.recent.delete(this.recent.values().next().value!);
  }

  private rememberKey(id: string, key: WAMessageKey): void {
    this.keys.set(id, key);
    if (this.keys.size > RECENT_LIMIT) this.keys.delete(this.keys.keys().next().value!);
  }

  private async channelPhone(): Promise<string | undefined> {
    const row = await this.options.db.selectFrom('channels').select('phone').where('id', '=', this.options.channelId).executeTakeFirst();
    return row?.phone ?? undefined;
  }

  private async menuAnswer(customerPhone: string, text: string): Promise<string | undefined> {
    const menu = await this.options.db
      .selectFrom('whatsapp_menus')
      .select(['items'])
      .where('channel_id', '=', this.options.channelId)
      .where('customer_phone', '=', customerPhone)
      .where('created_at', '>', sql<Date>`now() - make_interval(secs => ${MENU_ANSWER_WINDOW_MS / 1000})`)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return menu ? matchMenuAnswer(menu.items as MenuItem[], text) : undefined;
  }

  /**
   * Decrypts a vote with the secret of the poll we sent. The key derivation includes the creator's
   * and the voter's JIDs, which may be PN or LID forms in v7, so each plausible pair is tried.
   */
  private async pollAnswer(user: SpooledUser | null, vote: MappedPollVote): Promise<MenuItem | undefined> {
    const poll = await this.options.db
      .selectFrom('whatsapp_menus')
      .select(['items', 'poll_secret'])
      .where('channel_id', '=', this.options.channelId)
      .where('message_id', '=', vote.pollMessageId)
      .where('kind', '=', 'poll')
      .executeTakeFirst();
    if (!poll?.poll_secret) return undefined;
    const items = poll.items as MenuItem[];
    const secret = Buffer.from(poll.poll_secret, 'base64');
    const creators = [user?.id, user?.lid].filter((j): j is string => Boolean(j)).map((j) => jidNormalizedUser(j));
    const voters = [...new Set([...vote.voterJids.map((j) => jidNormalizedUser(j)), jidFromPhone(vote.customerPhone)])];
    for (const pollCreatorJid of creators) {
      for (const voterJid of voters) {
        try {
          const decrypted = decryptPollVote(vote.vote, { pollCreatorJid, pollMsgId: vote.pollMessageId, pollEncKey: secret, voterJid });
          const hashes = (decrypted.selectedOptions ?? []).map((h) => Buffer.from(h).toString('hex'));
          const names = items.filter((i) => hashes.includes(optionHash(i.title))).map((i) => i.title);
          const id = matchPollVote(items, names);
          // An empty selection is a withdrawn vote: nothing to answer.
          return id ? items.find((i) => i.id === id) : undefined;
        } catch {
          // Wrong JID pair: authentication fails, try the next one.
        }
      }
    }
    this.options.log('warn', `poll vote ${vote.id} on ${vote.pollMessageId} could not be decrypted`);
    return undefined;
  }
}

/**
 * A message's attachment as the inbox keeps it. A file gets an id derived from the channel and the
 * message, so a redelivery or a retried download stores it once; its bytes are downloaded when the
 * inbox hands the message over (activities/whatsapp/baileys/media-download.ts).
 */
export function attachmentOf(channelId: string, key: WAMessageKey, mapped: MappedText): Pick<InboundWhatsAppMessage, 'attachment' | 'mediaSource'> {
  if (mapped.location) return { attachment: { location: mapped.location } };
  if (mapped.contact) return { attachment: { contact: mapped.contact } };
  const media = mapped.media;
  if (!media) return {};
  return {
    attachment: { media: { id: stableId('med', `whatsapp:${channelId}:${key.id}`), kind: media.kind, ...(media.voice ? { voice: true } : {}) } },
    mediaSource: {
      key: { remoteJid: key.remoteJid ?? null, id: key.id ?? null, fromMe: key.fromMe ?? null, participant: key.participant ?? null },
      message: Buffer.from(proto.Message.encode(media.content).finish()).toString('base64'),
      mimeType: media.mimeType,
      ...(media.filename ? { filename: media.filename } : {}),
      ...(media.durationS ? { durationS: media.durationS } : {}),
    },
  };
}

/** WhatsApp identifies poll options by the SHA-256 of their text. */
export function optionHash(title: string): string {
  return createHash('sha256').update(Buffer.from(title.trim())).digest('hex');
}
