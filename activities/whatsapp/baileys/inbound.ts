import { createHash } from 'node:crypto';
import { decryptPollVote, jidNormalizedUser, proto, type BaileysEventMap, type WAMessageKey } from '@whiskeysockets/baileys';
import { sql, type Kysely } from 'kysely';
import type { Database, MenuItem } from '../../../db/schema.js';
import { classifyError, UNEXPECTED_ERROR_ATTEMPTS } from '../../errors.js';
import { stableId } from '../../ids.js';
import { matchMenuAnswer, matchPollVote } from '../menu.js';
import type { InboundWhatsAppMessage } from '../provider.js';
import { jidFromPhone, phoneFromJid } from './jids.js';
import type { LogLine } from './logger.js';
import { mapMessage, type MappedPollVote, type MappedText } from './message-mapping.js';
import type { BaileysSocket } from './socket.js';

/** A numbered menu answer counts only while the menu is fresh; later "2" is just a message. */
const MENU_ANSWER_WINDOW_MS = 24 * 60 * 60 * 1000;
const RECENT_LIMIT = 5000;

export interface InboundOptions {
  db: Kysely<Database>;
  channelId: string;
  /** Stores the message in the inbox (which hands it to its conversation); resolves once it is durable. */
  store: (message: InboundWhatsAppMessage) => Promise<unknown>;
  log: LogLine;
  /** The longest pause between attempts to store a message while the database is away. */
  maxStoreBackoffMs?: number;
}

/**
 * Turns `messages.upsert` batches into conversation messages: both `notify` (live) and `append`
 * (queued while we were offline, or typed on the business phone), each message id once, in order.
 */
export class InboundProcessor {
  private readonly recent = new Set<string>();
  /** The exact key each recent message arrived with: receipts and deletions must use the same JID (PN or LID). */
  readonly keys = new Map<string, WAMessageKey>();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: InboundOptions) {}

  /** Queues a batch behind the previous ones; the promise settles when this batch is done. */
  handle(socket: BaileysSocket, upsert: BaileysEventMap['messages.upsert']): Promise<void> {
    const run = this.chain.then(() => this.process(socket, upsert));
    this.chain = run.catch((error: unknown) => this.options.log('error', `inbound batch failed: ${String(error)}`, error));
    return this.chain;
  }

  private async process(socket: BaileysSocket, upsert: BaileysEventMap['messages.upsert']): Promise<void> {
    if (upsert.type !== 'notify' && upsert.type !== 'append') return;
    const businessPhone = phoneFromJid(socket.user?.id ? jidNormalizedUser(socket.user.id) : undefined) ?? (await this.channelPhone());
    if (!businessPhone) return;
    for (const raw of upsert.messages) {
      const id = raw.key?.id;
      if (!id || this.recent.has(id)) continue;
      // Each message on its own: one that cannot be read or stored never costs the others theirs.
      try {
        const message = await this.read(socket, id, raw, businessPhone);
        if (message) await this.store(message);
        this.remember(id);
      } catch (error) {
        this.options.log('error', `inbound message ${id} on ${this.options.channelId} could not be read`, error);
      }
    }
  }

  private async read(socket: BaileysSocket, id: string, raw: BaileysEventMap['messages.upsert']['messages'][number], businessPhone: string): Promise<InboundWhatsAppMessage | null> {
    // A redelivery after a reconnect: already in the inbox, nothing to decrypt or map again.
    if (await this.seen(id)) return null;
    const mapped = await mapMessage(raw, async (lid) => socket.signalRepository.lidMapping.getPNForLID(lid).catch(() => null));
    if (!mapped) return null;
    this.rememberKey(id, raw.key);
    const base = { id, channelId: this.options.channelId, businessPhone, customerPhone: mapped.customerPhone, fromMe: mapped.fromMe, timestamp: mapped.timestamp };
    if (mapped.kind === 'poll_vote') {
      const answer = await this.pollAnswer(socket, mapped);
      return answer ? { ...base, text: answer.title, replyId: answer.id } : null;
    }
    const replyId = mapped.replyId ?? (mapped.fromMe || !mapped.text ? undefined : await this.menuAnswer(mapped.customerPhone, mapped.text));
    return { ...base, text: mapped.text, ...(replyId ? { replyId } : {}), ...attachmentOf(this.options.channelId, raw.key, mapped) };
  }

  /**
   * Into the inbox before anything else. While the database is away this keeps trying (the
   * message exists nowhere else); only a message the database can never take is given up, logged.
   */
  private async store(message: InboundWhatsAppMessage): Promise<void> {
    const maxBackoff = this.options.maxStoreBackoffMs ?? 30_000;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.store(message);
        return;
      } catch (error) {
        const kind = classifyError(error);
        if (kind === 'permanent' || (kind === 'unknown' && attempt >= UNEXPECTED_ERROR_ATTEMPTS)) {
          this.options.log('error', `message ${message.id} on ${this.options.channelId} cannot be stored`, error);
          return;
        }
        this.options.log('warn', `message ${message.id} not stored yet (attempt ${attempt}): ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(maxBackoff, 200 * 2 ** attempt)));
      }
    }
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
  private async pollAnswer(socket: BaileysSocket, vote: MappedPollVote): Promise<MenuItem | undefined> {
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
    const creators = [socket.user?.id, socket.user?.lid].filter((j): j is string => Boolean(j)).map((j) => jidNormalizedUser(j));
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
