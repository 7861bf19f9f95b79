import { DisconnectReason } from '@whiskeysockets/baileys';

export type CloseDecision =
  /** The phone unlinked us (or the login was rejected): forget the credentials, stop. */
  | { action: 'logged_out'; reason: string }
  /** Another client opened this account: stepping back is the only way not to fight over it. */
  | { action: 'replaced'; reason: string }
  /** Expected right after a QR scan: open a new socket at once. */
  | { action: 'restart'; reason: string }
  /** Network trouble, timeouts, server errors: try again after a growing pause. */
  | { action: 'retry'; reason: string };

export interface ReconnectOptions {
  initialMs: number;
  maxMs: number;
}

/** The status code Baileys puts on a close (a Boom error's output.statusCode). */
export function closeStatusCode(error: unknown): number | undefined {
  const code = (error as { output?: { statusCode?: unknown } } | undefined)?.output?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

export function decideOnClose(error: unknown): CloseDecision {
  const code = closeStatusCode(error);
  const message = error instanceof Error && error.message ? error.message : 'connection closed';
  switch (code) {
    case DisconnectReason.loggedOut:
      return { action: 'logged_out', reason: `logged out by WhatsApp (${code}): ${message}` };
    case DisconnectReason.connectionReplaced:
      return { action: 'replaced', reason: `connection replaced by another WhatsApp Web client (${code}); not reconnecting` };
    case DisconnectReason.restartRequired:
      return { action: 'restart', reason: `restart required (${code})` };
    default:
      return { action: 'retry', reason: `${message}${code !== undefined ? ` (${code})` : ''}` };
  }
}

/** The pause before reconnect attempt `failures` (1-based): doubling, capped, with +-25% jitter. */
export function reconnectDelay(failures: number, options: ReconnectOptions, random: () => number = Math.random): number {
  const base = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}
