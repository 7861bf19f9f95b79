import type { WAVersion } from '@whiskeysockets/baileys';
import type { Kysely } from 'kysely';
import type { KeyRing } from '../../../config/key-ring.js';
import type { Database } from '../../../db/schema.js';
import type { ChannelEvents, WhatsAppProvider } from '../provider.js';
import { BaileysSession } from './baileys-session.js';
import { ChannelConnection } from './connection.js';
import { InboundProcessor } from './inbound.js';
import type { InboundSpool } from './inbound-spool.js';
import type { LogLine } from './logger.js';
import { SendPacer, type PacingOptions } from './pacing.js';
import type { ReconnectOptions } from './reconnect-policy.js';
import { makeBaileysSocket, type SocketFactory } from './socket.js';
import type { MediaLibrary } from '../../../media/library.js';

export interface BaileysProviderOptions {
  db: Kysely<Database>;
  /** Seals credentials and keys at rest (CATY_ENCRYPTION_KEY). */
  keys: KeyRing;
  version: () => Promise<WAVersion | undefined>;
  reconnect: ReconnectOptions;
  pacing: PacingOptions;
  log: LogLine;
  /** This gateway's local record of received messages not yet in the inbox. */
  spool: InboundSpool;
  socketFactory?: SocketFactory;
  waWebSocketUrl?: string | undefined;
  connectTimeoutMs?: number | undefined;
  /** rate-overlimit backoff within one send; past the budget the activity fails retryably. */
  overlimit?: { initialMs: number; maxMs: number; budgetMs: number };
  /** Files of outgoing media messages. */
  library?: MediaLibrary | undefined;
  /** WHATSAPP_SET_ASIDE_RETRY_MS. */
  setAsideRetryMs?: number | undefined;
}

/** WhatsApp through Baileys (a linked WhatsApp Web device), one socket per channel. */
export class BaileysProvider implements WhatsAppProvider {
  readonly name = 'baileys' as const;

  constructor(private readonly options: BaileysProviderOptions) {}

  async open(channelId: string, events: ChannelEvents): Promise<BaileysSession> {
    const { db, log } = this.options;
    const inbound = new InboundProcessor({ db, channelId, store: events.message, spool: this.options.spool, keys: this.options.keys, log, setAsideRetryMs: this.options.setAsideRetryMs });
    const connection = new ChannelConnection({
      db,
      keys: this.options.keys,
      channelId,
      socketFactory: this.options.socketFactory ?? makeBaileysSocket,
      version: this.options.version,
      reconnect: this.options.reconnect,
      status: events.status,
      onMessages: (socket, upsert) => inbound.handle(socket, upsert),
      log,
      waWebSocketUrl: this.options.waWebSocketUrl,
      connectTimeoutMs: this.options.connectTimeoutMs,
    });
    return new BaileysSession({
      db,
      channelId,
      connection,
      pacer: new SendPacer(this.options.pacing),
      inboundKeys: inbound.keys,
      overlimit: this.options.overlimit ?? { initialMs: 2000, maxMs: 30_000, budgetMs: 40_000 },
      library: this.options.library,
    });
  }
}
