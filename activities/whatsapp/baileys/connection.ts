import { Browsers, jidNormalizedUser, makeCacheableSignalKeyStore, type BaileysEventMap, type WAVersion } from '@whiskeysockets/baileys';
import type { Kysely } from 'kysely';
import type { KeyRing } from '../../../config/key-ring.js';
import type { Database } from '../../../db/schema.js';
import type { ChannelStatusUpdate } from '../provider.js';
import { clearAuthState, usePostgresAuthState } from './auth-store.js';
import { phoneFromJid } from './jids.js';
import { baileysLogger, type LogLine } from './logger.js';
import { closeStatusCode, decideOnClose, reconnectDelay, type ReconnectOptions } from './reconnect-policy.js';
import type { BaileysSocket, SocketFactory } from './socket.js';

/** How a channel's connection ended: logged out, pushed aside by another client, or closed by us. */
export type SessionOutcome = 'logged_out' | 'replaced' | 'closed';

export interface ConnectionOptions {
  db: Kysely<Database>;
  /** Seals the channel's credentials and keys at rest. */
  keys: KeyRing;
  channelId: string;
  socketFactory: SocketFactory;
  version: () => Promise<WAVersion | undefined>;
  reconnect: ReconnectOptions;
  status: (update: ChannelStatusUpdate) => Promise<void>;
  onMessages: (socket: BaileysSocket, upsert: BaileysEventMap['messages.upsert']) => Promise<void>;
  log: LogLine;
  /** Another WebSocket endpoint than WhatsApp's (tests, proxies). */
  waWebSocketUrl?: string | undefined;
  connectTimeoutMs?: number | undefined;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * One channel's WhatsApp connection over time: opens a socket with the stored credentials, keeps
 * the channel row in step with it, and on every close decides by DisconnectReason whether to open
 * another one. Only one socket exists at a time, and the old one's listeners are gone before the
 * next one opens.
 */
export class ChannelConnection {
  private socket: BaileysSocket | undefined;
  private opened = false;
  private stopping = false;
  private wake = deferred<void>();
  private currentClose: Deferred<unknown> | undefined;
  readonly finished: Promise<SessionOutcome>;
  /** Sockets created so far (the first one included): tests and logs read it. */
  sockets = 0;

  constructor(private readonly options: ConnectionOptions) {
    this.finished = this.loop().catch((error: unknown) => {
      options.log('error', `connection loop of ${options.channelId} failed: ${String(error)}`, error);
      return 'closed' as const;
    });
  }

  /** The socket while it is open (logged in and usable); undefined while connecting or waiting for a scan. */
  get openSocket(): BaileysSocket | undefined {
    return this.opened ? this.socket : undefined;
  }

  /** Closes the socket without logging out: the credentials stay for the next owner. */
  async close(): Promise<void> {
    this.stopping = true;
    this.wake.resolve();
    const socket = this.socket;
    this.currentClose?.resolve(undefined);
    if (socket) await Promise.resolve(socket.end(undefined)).catch(() => undefined);
    await this.finished;
  }

  /** Unlinks this device from the phone, forgets the credentials and ends the connection. */
  async logout(): Promise<SessionOutcome> {
    const socket = this.openSocket;
    if (socket) {
      // The close that follows carries loggedOut, and the loop clears the auth state.
      await socket.logout('caty channel deleted').catch((error: unknown) => this.options.log('warn', `logout of ${this.options.channelId} failed: ${String(error)}`));
      const outcome = await Promise.race([this.finished, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000))]);
      if (outcome !== 'timeout') return outcome;
    }
    await this.close();
    await clearAuthState(this.options.db, this.options.channelId);
    await this.status({ status: 'logged_out', qr: null, lastError: null });
    return 'logged_out';
  }

  private async status(update: ChannelStatusUpdate): Promise<void> {
    try {
      await this.options.status(update);
    } catch (error) {
      this.options.log('error', `could not record status ${update.status} of ${this.options.channelId}: ${String(error)}`, error);
    }
  }

  private async loop(): Promise<SessionOutcome> {
    const { channelId } = this.options;
    let failures = 0;
    let quietRestart = false;
    while (!this.stopping) {
      const auth = await usePostgresAuthState(this.options.db, channelId, this.options.keys);
      if (!quietRestart) await this.status({ status: 'connecting' });
      quietRestart = false;
      const version = await this.options.version();
      if (this.stopping) break;
      const logger = baileysLogger(channelId, this.options.log);
      const closed = deferred<unknown>();
      this.currentClose = closed;
      let sawQr = false;
      let credsWrites: Promise<void> = Promise.resolve();

      const socket = this.options.socketFactory({
        auth: { creds: auth.state.creds, keys: makeCacheableSignalKeyStore(auth.state.keys, logger) },
        logger,
        browser: Browsers.ubuntu('Caty'),
        // Staying "offline" keeps notifications on the business phone, where people still answer.
        markOnlineOnConnect: false,
        syncFullHistory: false,
        ...(version ? { version } : {}),
        ...(this.options.waWebSocketUrl ? { waWebSocketUrl: this.options.waWebSocketUrl } : {}),
        ...(this.options.connectTimeoutMs ? { connectTimeoutMs: this.options.connectTimeoutMs } : {}),
      }, { channelId });
      this.sockets++;
      this.socket = socket;

      const onConnection = (update: BaileysEventMap['connection.update']) => {
        if (update.qr) {
          sawQr = true;
          void this.status({ status: 'qr', qr: update.qr });
        }
        if (update.connection === 'open') {
          this.opened = true;
          failures = 0;
          const phone = phoneFromJid(socket.user?.id ? jidNormalizedUser(socket.user.id) : undefined);
          void this.status({ status: 'connected', qr: null, lastError: null, ...(phone ? { phone } : {}) });
        }
        if (update.connection === 'close') closed.resolve(update.lastDisconnect?.error);
      };
      const onCreds = (update: BaileysEventMap['creds.update']) => {
        // Baileys has already merged the update into this object; a fake socket may not have.
        Object.assign(auth.state.creds, update);
        credsWrites = credsWrites.then(() => auth.saveCreds()).catch((error: unknown) => this.options.log('error', `could not store creds of ${channelId}: ${String(error)}`, error));
      };
      const onMessages = (upsert: BaileysEventMap['messages.upsert']) => {
        void this.options.onMessages(socket, upsert);
      };
      socket.ev.on('connection.update', onConnection);
      socket.ev.on('creds.update', onCreds);
      socket.ev.on('messages.upsert', onMessages);

      const error = await closed.promise;
      socket.ev.off('connection.update', onConnection);
      socket.ev.off('creds.update', onCreds);
      socket.ev.off('messages.upsert', onMessages);
      this.opened = false;
      this.socket = undefined;
      this.currentClose = undefined;
      await credsWrites;
      if (this.stopping) {
        await Promise.resolve(socket.end(undefined)).catch(() => undefined);
        break;
      }

      const decision = decideOnClose(error);
      switch (decision.action) {
        case 'logged_out':
          await clearAuthState(this.options.db, channelId);
          await this.status({ status: 'logged_out', qr: null, lastError: decision.reason });
          return 'logged_out';
        case 'replaced':
          await this.status({ status: 'disconnected', lastError: decision.reason });
          return 'replaced';
        case 'restart':
          continue;
        case 'retry': {
          // An unscanned QR expiring is routine: ask for fresh codes without flashing "disconnected".
          if (sawQr && !auth.state.creds.registered && closeStatusCode(error) === 408) {
            quietRestart = true;
            continue;
          }
          failures++;
          const delay = reconnectDelay(failures, this.options.reconnect);
          await this.status({ status: 'disconnected', lastError: `${decision.reason}; reconnecting in ${Math.round(delay / 100) / 10} s (attempt ${failures})` });
          await Promise.race([new Promise((r) => setTimeout(r, delay)), this.wake.promise]);
        }
      }
    }
    return 'closed';
  }
}
