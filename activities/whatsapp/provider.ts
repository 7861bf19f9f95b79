import type { ChannelStatus } from '../../db/schema.js';
import type { ChannelProvider, RichContent } from '../../workflows/conversation/domain.js';
import type { Attachment, MediaRef } from '../../workflows/conversation/signals.js';

export type { Attachment };

/** What downloading a file WhatsApp delivered needs, kept with the message until its bytes are stored. */
export interface MediaSource {
  key: { remoteJid?: string | null; id?: string | null; fromMe?: boolean | null; participant?: string | null };
  /** The message's media part (`{imageMessage: ...}`), protobuf-encoded, base64. */
  message: string;
  mimeType: string;
  filename?: string;
  durationS?: number;
}

/** One chat message as a WhatsApp connection delivers it, already normalised. */
export interface InboundWhatsAppMessage {
  /** The provider's message id: the key for exactly-once processing. */
  id: string;
  /** The channel (connected number) that received it: it decides the account and the link. */
  channelId: string;
  /** Our number (the channel's), E.164. */
  businessPhone: string;
  /** The other party of the chat, E.164. */
  customerPhone: string;
  /** Typed on the business phone itself (admin commands, agent replies). */
  fromMe: boolean;
  text: string;
  /** The id of a tapped button, list item or poll option, when the message answers one. */
  replyId?: string;
  timestamp: Date;
  /** A photo, voice note, video, document, sticker, location or contact card (`text` is then the caption). */
  attachment?: Attachment;
  /** Set while the attachment's file is still to be downloaded from WhatsApp. */
  mediaSource?: MediaSource;
}

export interface OutboundWhatsAppMessage {
  to: string;
  text: string;
  rich?: RichContent | null;
  /** A file (by id; its bytes are read from the media store when it goes out); `text` is its caption. */
  media?: MediaRef | null;
  /** Same key, same message: a retried send never reaches the phone twice. */
  idempotencyKey: string;
}

export interface ChannelStatusUpdate {
  status: ChannelStatus;
  phone?: string | null;
  qr?: string | null;
  lastError?: string | null;
}

/** What a connection reports back; each resolves once the fact is durable. */
export interface ChannelEvents {
  status(update: ChannelStatusUpdate): Promise<void>;
  message(message: InboundWhatsAppMessage): Promise<void>;
}

/** A session found for a channel turned out not to be open when it was used (it went away meanwhile). */
export class SessionNotOpenError extends Error {
  constructor(readonly channelId: string) {
    super(`channel ${channelId} has no open session`);
    this.name = 'SessionNotOpenError';
  }
}

/** An open connection for one channel (one WhatsApp number). */
export interface WhatsAppSession {
  send(message: OutboundWhatsAppMessage): Promise<{ providerMessageId: string }>;
  markRead(customerPhone: string, messageIds: string[]): Promise<void>;
  setTyping(customerPhone: string, typing: boolean): Promise<void>;
  deleteForEveryone(customerPhone: string, messageId: string, fromMe: boolean): Promise<void>;
  close(): Promise<void>;
  logout(): Promise<void>;
}

export interface WhatsAppProvider {
  readonly name: ChannelProvider;
  open(channelId: string, events: ChannelEvents): Promise<WhatsAppSession>;
}
