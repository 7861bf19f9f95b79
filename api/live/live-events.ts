import type { Kysely } from 'kysely';
import { listen } from '../../db/listen.js';
import type { Database } from '../../db/schema.js';

export interface LiveEvent {
  id: number;
  kind: string;
  widget_id: string | null;
  data: Record<string, string>;
}

type Listener = (eventId: number) => void;

const KEEP_MS = 86_400_000;
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * The fan-out behind GET /api/events: one dedicated PostgreSQL connection per API process
 * LISTENs to `caty_live` (a trigger NOTIFYs each live_events row's id and account), and wakes
 * the streams of that account, which read the rows themselves. Whichever process wrote the row,
 * every process hears it. The connection is re-established after any error (db/listen.ts).
 */
export class LiveEvents {
  private readonly listeners = new Map<string, Set<Listener>>();
  private connection: { stop(): Promise<void> } | null = null;
  private pruning: NodeJS.Timeout | null = null;

  constructor(private readonly options: { databaseUrl: string; db: Kysely<Database>; log?: (line: string) => void }) {}

  async start(): Promise<void> {
    this.connection = await listen({
      databaseUrl: this.options.databaseUrl,
      channel: 'caty_live',
      onNotification: (payload) => this.dispatch(payload),
      // Streams catch up by id after a reconnect: they are woken with id 0, which reads what they missed.
      onRestored: () => {
        for (const set of this.listeners.values()) for (const listener of set) listener(0);
      },
      ...(this.options.log ? { log: (line: string) => this.options.log!(`live events: ${line}`) } : {}),
    });
    // Every message writes a live event: without pruning the table would only grow. A stream
    // resuming from an event older than this starts at the oldest one kept.
    this.pruning = setInterval(() => void this.prune().catch((error: unknown) => this.options.log?.(`live events: pruning failed: ${String(error)}`)), PRUNE_EVERY_MS);
    this.pruning.unref();
  }

  /** Forgets live events older than `keepMs` (a day); returns how many. Any API process may run it. */
  async prune(keepMs = KEEP_MS): Promise<number> {
    const result = await this.options.db.deleteFrom('live_events').where('created_at', '<', new Date(Date.now() - keepMs)).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async stop(): Promise<void> {
    if (this.pruning) clearInterval(this.pruning);
    await this.connection?.stop();
    this.connection = null;
  }

  /** Calls `listener` with each new event id of the account; returns the unsubscribe. */
  subscribe(accountId: string, listener: Listener): () => void {
    const set = this.listeners.get(accountId) ?? new Set();
    set.add(listener);
    this.listeners.set(accountId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(accountId);
    };
  }

  /** The account's events after `afterId` (optionally of one widget, channel events included), oldest first. */
  async after(accountId: string, afterId: number, widgetId: string | null, limit = 500): Promise<LiveEvent[]> {
    const rows = await this.options.db
      .selectFrom('live_events')
      .select(['id', 'kind', 'widget_id', 'data'])
      .where('account_id', '=', accountId)
      .where('id', '>', afterId)
      .$if(widgetId !== null, (q) => q.where((eb) => eb.or([eb('widget_id', '=', widgetId), eb('widget_id', 'is', null)])))
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows;
  }

  /** The newest event id of the account: where a stream without Last-Event-ID starts. */
  async latestId(accountId: string): Promise<number> {
    const row = await this.options.db
      .selectFrom('live_events')
      .select((eb) => eb.fn.max('id').as('id'))
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  private dispatch(payload: string): void {
    const [id, accountId] = payload.split(' ');
    const eventId = Number(id);
    if (!accountId || !Number.isFinite(eventId)) return;
    for (const listener of this.listeners.get(accountId) ?? []) listener(eventId);
  }
}
