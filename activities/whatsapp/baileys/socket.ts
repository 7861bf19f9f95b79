import makeWASocket, { type BaileysEventEmitter, type UserFacingSocketConfig, type WASocket } from '@whiskeysockets/baileys';

/**
 * The part of a Baileys socket the gateway uses. Production passes `makeWASocket`; tests pass a
 * factory whose socket has Baileys' own event emitter and records what it was asked to send.
 */
export interface BaileysSocket {
  ev: BaileysEventEmitter;
  user?: { id: string; lid?: string | undefined } | undefined;
  sendMessage: WASocket['sendMessage'];
  readMessages: WASocket['readMessages'];
  sendPresenceUpdate: WASocket['sendPresenceUpdate'];
  /** Asks the phone to upload an expired file again; resolves with the message pointing at it. */
  updateMediaMessage: WASocket['updateMediaMessage'];
  logout(message?: string): Promise<void>;
  end(error: Error | undefined): void | Promise<void>;
  signalRepository: { lidMapping: { getPNForLID(lid: string): Promise<string | null> } };
}

/** `channelId` says whose socket it is (for logs, and for fakes that serve several channels). */
export type SocketFactory = (config: UserFacingSocketConfig, context: { channelId: string }) => BaileysSocket;

export const makeBaileysSocket: SocketFactory = (config) => makeWASocket(config);
