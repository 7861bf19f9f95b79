import type { SocketConfig } from '@whiskeysockets/baileys';

type ILogger = SocketConfig['logger'];

export type LogLine = (level: 'warn' | 'error', message: string, detail?: unknown) => void;

/**
 * Baileys logs every frame at info and below; the gateway keeps its warnings and errors only, and
 * sends them wherever the process logs, tagged with the channel.
 */
export function baileysLogger(channelId: string, log: LogLine, bindings: Record<string, unknown> = {}): ILogger {
  const describe = (obj: unknown, msg?: string) => msg ?? (typeof obj === 'string' ? obj : '');
  return {
    level: 'warn',
    child: (more) => baileysLogger(channelId, log, { ...bindings, ...more }),
    trace() {},
    debug() {},
    info() {},
    warn: (obj, msg) => log('warn', `baileys[${channelId}]: ${describe(obj, msg)}`, obj),
    error: (obj, msg) => log('error', `baileys[${channelId}]: ${describe(obj, msg)}`, obj),
  };
}
