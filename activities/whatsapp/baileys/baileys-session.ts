import { createHash, randomBytes } from 'node:crypto';
import type { AnyMessageContent, WAMessage, WAMessageKey } from '@whiskeysockets/baileys';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { renderMenu } from '../menu.js';
import type { OutboundWhatsAppMessage, WhatsAppSession } from '../provider.js';
import type { ChannelConnection, SessionOutcome } from './connection.js';
import { jidFromPhone } from './jids.js';
import { retryOnOverlimit } from './overlimit.js';
import type { SendPacer } from './pacing.js';
import type { BaileysSocket } from './socket.js';
import type { MediaLibrary } from '../../../media/library.js';
import { baseMimeType } from '../../../media/kinds.js';
import type { MediaRef } from '../../../workflows/conversation/signals.js';

/** Thrown while the socket is not open; the session activities turn it into a retry. */
export class SessionNotOpenError extends Error {
  constructor(channelId: string) {
    super(`the WhatsApp connection of channel ${channelId} is not open`);
    this.name = 'SessionNotOpenError';
  }
}

export interface BaileysSessionOptions {
  db: Kysely<Database>;
  channelId: string;
  connection: ChannelConnection;
  pacer: SendPacer;
  /** The exact keys inbound messages arrived with (LID or PN addressed). */
  inboundKeys: Map<string, WAMessageKey>;
  overlimit: { initialMs: number; maxMs: number; budgetMs: number };
  /** Where the files of outgoing media messages are read from (streamed to WhatsApp's upload). */
  library?: MediaLibrary | undefined;
}

/**
 * WhatsApp's message ids are client-chosen: deriving one from the idempotency key means a send
 * retried after a crash carries the same id, which the recipient's phone shows once.
 */
export function messageIdFor(channelId: string, idempotencyKey: string): string {
  return `3EB0${createHash('sha256').update(`${channelId}\n${idempotencyKey}`).digest('hex').slice(0, 18).toUpperCase()}`;
}

/** The live side of a baileys channel: sends, receipts, typing and deletions over the open socket. */
export class BaileysSession implements WhatsAppSession {
  private readonly knownChats = new Set<string>();

  constructor(private readonly options: BaileysSessionOptions) {}

  /** Settles when the connection ends for good (logged out, replaced, or closed). */
  get finished(): Promise<SessionOutcome> {
    return this.options.connection.finished;
  }

  get isOpen(): boolean {
    return this.options.connection.openSocket !== undefined;
  }

  private socket(): BaileysSocket {
    const socket = this.options.connection.openSocket;
    if (!socket) throw new SessionNotOpenError(this.options.channelId);
    return socket;
  }

  private chatJid(customerPhone: string, messageId?: string): string {
    const key = messageId ? this.options.inboundKeys.get(messageId) : undefined;
    return key?.remoteJid ?? jidFromPhone(customerPhone);
  }

  async send(message: OutboundWhatsAppMessage): Promise<{ providerMessageId: string }> {
    const { db, channelId } = this.options;
    const socket = this.socket();
    const already = await db
      .selectFrom('whatsapp_sent')
      .select('provider_message_id')
      .where('channel_id', '=', channelId)
      .where('idempotency_key', '=', message.idempotencyKey)
      .executeTakeFirst();
    if (already) return { providerMessageId: already.provider_message_id };

    const jid = jidFromPhone(message.to);
    const messageId = messageIdFor(channelId, message.idempotencyKey);
    const menu = renderMenu(message.text, message.rich);
    let content: AnyMessageContent;
    if (message.media) {
      // Built for each attempt: a file's stream is read once.
      content = { text: '' };
    } else if (menu.kind === 'poll') {
      // The secret is stored before sending: votes can only be read with it, even after a retry.
      await db
        .insertInto('whatsapp_menus')
        .values({ channel_id: channelId, message_id: messageId, customer_phone: message.to, kind: 'poll', items: JSON.stringify(menu.items), poll_secret: randomBytes(32).toString('base64') })
        .onConflict((oc) => oc.doNothing())
        .execute();
      const stored = await db.selectFrom('whatsapp_menus').select('poll_secret').where('channel_id', '=', channelId).where('message_id', '=', messageId).executeTakeFirstOrThrow();
      content = { poll: { name: menu.name, values: menu.options, selectableCount: 1, messageSecret: Buffer.from(stored.poll_secret!, 'base64') } };
    } else {
      if (menu.kind === 'text') {
        await db
          .insertInto('whatsapp_menus')
          .values({ channel_id: channelId, message_id: messageId, customer_phone: message.to, kind: 'text', items: JSON.stringify(menu.items), poll_secret: null })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      content = { text: menu.text };
    }

    await this.options.pacer.wait(jid, await this.isNewChat(message.to));
    const media = message.media;
    await retryOnOverlimit(async () => socket.sendMessage(jid, media ? await this.mediaContent(media, message.text) : content, { messageId }), this.options.overlimit);
    this.knownChats.add(message.to);
    await db
      .insertInto('whatsapp_sent')
      .values({ channel_id: channelId, idempotency_key: message.idempotencyKey, provider_message_id: messageId, to_phone: message.to })
      .onConflict((oc) => oc.doNothing())
      .execute();
    return { providerMessageId: messageId };
  }

  /**
   * A file as Baileys sends it: streamed from the media store into WhatsApp's encrypted upload.
   * Images, videos and documents carry the caption (a document its file name); an OGG/Opus audio
   * goes as a voice note (`ptt`).
   */
  private async mediaContent(ref: MediaRef, caption: string): Promise<AnyMessageContent> {
    const library = this.options.library;
    const row = library ? await library.find(ref.id) : undefined;
    if (!library || !row) throw new Error(`media ${ref.id} is not in the media store`);
    const stream = { stream: await library.open(row) };
    const mimetype = row.mime_type;
    const withCaption = caption ? { caption } : {};
    switch (row.kind) {
      case 'image':
        return { image: stream, mimetype, ...withCaption };
      case 'video':
        return { video: stream, mimetype, ...withCaption };
      case 'audio':
        return { audio: stream, mimetype, ptt: row.voice || baseMimeType(mimetype) === 'audio/ogg' };
      case 'sticker':
        return { sticker: stream, mimetype };
      case 'document':
        return { document: stream, mimetype, fileName: row.filename ?? `${row.id}`, ...withCaption };
    }
  }

  /** A chat is new until the customer has written to this channel: those are the sends WhatsApp watches. */
  private async isNewChat(customerPhone: string): Promise<boolean> {
    if (this.knownChats.has(customerPhone)) return false;
    const wrote = await this.options.db
      .selectFrom('messages')
      .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select('messages.id')
      .where('conversations.channel_id', '=', this.options.channelId)
      .where('conversations.customer', '=', customerPhone)
      .where('messages.direction', '=', 'inbound')
      .limit(1)
      .executeTakeFirst();
    if (wrote) this.knownChats.add(customerPhone);
    return !wrote;
  }

  /** WhatsApp's URL for a received file expired: the phone uploads it again (see media-download.ts). */
  reuploadMedia(message: WAMessage): Promise<WAMessage> {
    return this.socket().updateMediaMessage(message);
  }

  async markRead(customerPhone: string, messageIds: string[]): Promise<void> {
    const keys = messageIds.map((id) => this.options.inboundKeys.get(id) ?? { remoteJid: jidFromPhone(customerPhone), id, fromMe: false });
    if (keys.length > 0) await this.socket().readMessages(keys);
  }

  async setTyping(customerPhone: string, typing: boolean): Promise<void> {
    await this.socket().sendPresenceUpdate(typing ? 'composing' : 'paused', this.chatJid(customerPhone));
  }

  async deleteForEveryone(customerPhone: string, messageId: string, fromMe: boolean): Promise<void> {
    const known = this.options.inboundKeys.get(messageId);
    const remoteJid = known?.remoteJid ?? jidFromPhone(customerPhone);
    const key: WAMessageKey = { remoteJid, id: messageId, fromMe };
    await this.socket().sendMessage(remoteJid, { delete: key });
  }

  async close(): Promise<void> {
    await this.options.connection.close();
  }

  async logout(): Promise<void> {
    await this.options.connection.logout();
  }
}
