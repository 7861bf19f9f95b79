import pg from 'pg';
import { classifyError } from '../activities/errors.js';

export interface ListenOptions {
  databaseUrl: string;
  /** The NOTIFY channel. */
  channel: string;
  onNotification(payload: string): void;
  /** The connection dropped: notifications may be missed until `onRestored`. */
  onLost?(): void;
  /** Listening again after a drop. */
  onRestored?(): void;
  log?: (line: string) => void;
}

/**
 * A dedicated connection LISTENing to one channel, re-established a second after any error for
 * as long as it is not stopped. Resolves once the first LISTEN is in place or, when the database
 * is away (it went between a process's migration and this), at once: listening begins when it
 * answers (`onRestored`). Only an error that trying again cannot mend fails it.
 */
export async function listen(options: ListenOptions): Promise<{ readonly listening: boolean; stop(): Promise<void> }> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;

  const connect = async () => {
    const next = new pg.Client({ connectionString: options.databaseUrl });
    next.on('notification', (message) => options.onNotification(message.payload ?? ''));
    // A connection that failed or was replaced says nothing about the one in use.
    const current = () => client === null || client === next;
    next.on('error', (error) => current() && lost(error));
    next.on('end', () => current() && lost(new Error('connection ended')));
    await next.connect();
    await next.query(`LISTEN ${options.channel}`);
    // Stopped while this attempt was under way: nobody would ever end it.
    if (stopped) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
  };

  function lost(error: unknown): void {
    if (stopped || retry) return;
    options.onLost?.();
    options.log?.(`${options.channel}: ${error instanceof Error ? error.message : String(error)}; reconnecting`);
    const old = client;
    client = null;
    old?.end().catch(() => undefined);
    retry = setTimeout(() => {
      retry = null;
      connect()
        .then(() => {
          if (!stopped) options.onRestored?.();
        })
        .catch((e: unknown) => lost(e));
    }, 1000);
    // Reconnecting alone never keeps a process alive that has nothing else to do.
    retry.unref();
  }

  await connect().catch((error: unknown) => {
    if (classifyError(error) !== 'transient') throw error;
    lost(error);
  });
  return {
    /** Whether the LISTEN is in place now; when it is again after a drop, `onRestored` says so. */
    get listening() {
      return !stopped && client !== null;
    },
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
      client = null;
    },
  };
}
