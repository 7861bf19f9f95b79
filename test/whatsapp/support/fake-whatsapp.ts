import { assertMediaContent, makeEventBuffer, type AnyMessageContent, type BaileysEventMap, type UserFacingSocketConfig, type WAMessage, type WAMessageKey } from '@whiskeysockets/baileys';
import type { BaileysSocket, SocketFactory } from '../../../activities/whatsapp/baileys/socket.js';

const silent = { level: 'silent', child: () => silent, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** A Baileys-shaped close error: what `lastDisconnect.error` carries. */
export function closeError(statusCode: number, message = 'Connection Failure'): Error {
  return Object.assign(new Error(message), { output: { statusCode } });
}

export interface SentMessage {
  jid: string;
  content: AnyMessageContent;
  messageId: string | undefined;
}

/**
 * A socket whose `ev` is Baileys' own event buffer, driven by the test with events in the shapes
 * Baileys emits; it records what the gateway asks it to send.
 */
export class FakeSocket implements BaileysSocket {
  readonly ev = makeEventBuffer(silent);
  user: { id: string; lid?: string } | undefined;
  readonly sent: SentMessage[] = [];
  readonly reads: WAMessageKey[][] = [];
  readonly presences: { type: string; jid: string | undefined }[] = [];
  readonly lids = new Map<string, string>();
  closed = false;
  loggedOut = false;
  /** The next sends answer rate-overlimit this many times. */
  overlimit = 0;
  overlimitHits = 0;
  readonly signalRepository = { lidMapping: { getPNForLID: async (lid: string) => this.lids.get(lid) ?? null } };
  /**
   * The phone's answer to a media re-upload request: a new direct path (see FakeMediaServer.reupload);
   * `no_answer`, a phone that is offline (Baileys waits for it without a limit); unset, NOT_FOUND
   * (the phone no longer has the file).
   */
  reupload: ((directPath: string) => string) | 'no_answer' | undefined;
  readonly reuploads: string[] = [];

  constructor(
    readonly config: UserFacingSocketConfig,
    readonly channelId: string,
  ) {}

  async sendMessage(jid: string, content: AnyMessageContent, options?: { messageId?: string }): Promise<WAMessage | undefined> {
    if (this.closed) throw closeError(428, 'Connection Closed');
    if (this.overlimit > 0) {
      this.overlimit--;
      this.overlimitHits++;
      throw Object.assign(new Error('rate-overlimit'), { data: 429 });
    }
    this.sent.push({ jid, content, messageId: options?.messageId });
    return { key: { remoteJid: jid, fromMe: true, id: options?.messageId ?? null } } as WAMessage;
  }

  /** As Baileys' updateMediaMessage: the phone uploads the file again and the message points at it. */
  async updateMediaMessage(message: WAMessage): Promise<WAMessage> {
    const content = assertMediaContent(message.message);
    if (this.reupload === 'no_answer') return new Promise<never>(() => undefined);
    if (!this.reupload || !content.directPath) throw Object.assign(new Error('Media re-upload failed by device (NOT_FOUND)'), { output: { statusCode: 404 } });
    this.reuploads.push(message.key.id ?? '');
    content.directPath = this.reupload(content.directPath);
    content.url = `https://mmg.whatsapp.net${content.directPath}`;
    return message;
  }

  async readMessages(keys: WAMessageKey[]): Promise<void> {
    this.reads.push(keys);
  }

  async sendPresenceUpdate(type: string, jid?: string): Promise<void> {
    this.presences.push({ type, jid });
  }

  async logout(): Promise<void> {
    this.loggedOut = true;
    this.close(401, 'Intentional Logout');
  }

  end(error: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.ev.emit('connection.update', { connection: 'close', lastDisconnect: { error: error ?? closeError(428, 'Connection Closed'), date: new Date() } });
  }

  // What WhatsApp would do, step by step.
  qr(code: string): void {
    this.ev.emit('connection.update', { qr: code });
  }

  creds(update: BaileysEventMap['creds.update']): void {
    Object.assign(this.config.auth.creds, update);
    this.ev.emit('creds.update', update);
  }

  open(phoneDigits: string, lid?: string): void {
    this.user = { id: `${phoneDigits}:7@s.whatsapp.net`, ...(lid ? { lid } : {}) };
    this.ev.emit('connection.update', { connection: 'open' });
  }

  close(statusCode: number, message?: string): void {
    if (this.closed) return;
    this.closed = true;
    this.ev.emit('connection.update', { connection: 'close', lastDisconnect: { error: closeError(statusCode, message), date: new Date() } });
  }

  upsert(type: 'notify' | 'append', messages: WAMessage[]): void {
    this.ev.emit('messages.upsert', { type, messages });
  }
}

/** Hands out fake sockets and remembers them, per channel, in creation order. */
export class FakeWhatsApp {
  readonly sockets: FakeSocket[] = [];
  /** Called for every new socket (e.g. to open it at once when it has credentials). */
  onSocket: ((socket: FakeSocket) => void) | undefined;

  readonly factory: SocketFactory = (config, { channelId }) => {
    const socket = new FakeSocket(config, channelId);
    this.sockets.push(socket);
    if (this.onSocket) setImmediate(() => this.onSocket?.(socket));
    return socket;
  };

  latest(channelId?: string): FakeSocket | undefined {
    return this.of(channelId).at(-1);
  }

  of(channelId?: string): FakeSocket[] {
    return channelId ? this.sockets.filter((s) => s.channelId === channelId) : this.sockets;
  }
}

let counter = 0;
/** A text message as Baileys delivers it; `from` is a JID (PN or LID). */
export function textMessage(from: string, text: string, extra: { id?: string; fromMe?: boolean; remoteJidAlt?: string; seconds?: number } = {}): WAMessage {
  counter++;
  return {
    key: {
      remoteJid: from,
      fromMe: extra.fromMe ?? false,
      id: extra.id ?? `3A${Date.now().toString(16).toUpperCase()}${counter}`,
      ...(extra.remoteJidAlt ? { remoteJidAlt: extra.remoteJidAlt, addressingMode: 'lid' } : {}),
    },
    messageTimestamp: extra.seconds ?? Math.floor(Date.now() / 1000),
    message: { conversation: text },
  } as WAMessage;
}
