import { sql, type Kysely } from 'kysely';
import { listen } from '../../db/listen.js';
import type { Database } from '../../db/schema.js';

export interface LiveEvent {
  id: number;
  kind: string;
  widget_id: string | null;
  data: Record<string, string>;
}

/** Which of an account's events a stream shows: one widget's (channel events included), one conversation's. */
export interface LiveFilter {
  widgetId: string | null;
  conversationId?: string;
}

/** A stream's view of the feed: the events it shows, in id order, each once. */
export type Deliver = (events: LiveEvent[]) => void;

interface Subscriber {
  filter: LiveFilter;
  deliver: Deliver;
  /** Events up to here were read by this stream or are older than it wants. */
  cursor: number;
  /** Ids this stream delivered lately: a late event, or a catch-up overlapping the feed, is not written twice. */
  written: Set<number>;
  /** While the stream catches up on its own, what the feed brought meanwhile. */
  backlog: { events: LiveEvent[]; late: boolean }[] | null;
}

/** One account's events as this process reads them: once per batch, whatever the number of streams. */
interface AccountFeed {
  accountId: string;
  ready: Promise<void>;
  last: number;
  subscribers: Set<Subscriber>;
  /** Ids read lately, so a notification for an event already read with an earlier batch costs nothing. */
  seen: Set<number>;
  /** Notified ids at or below `last` not read yet (transactions that committed late). */
  late: Set<number>;
  wantNewer: boolean;
  /** A read is queued and has not started: further notifications join it. */
  queued: boolean;
  reading: Promise<void>;
}

const BATCH = 500;
/** How many ids a stream, and an account's feed, remember to tell a late notification from a repeat. */
const WRITTEN_KEPT = 1000;
const SEEN_KEPT = 10_000;

function remember(ids: Set<number>, id: number, kept: number): void {
  ids.add(id);
  // Insertion order is id order for the most part: the oldest are forgotten first.
  if (ids.size > kept) ids.delete(ids.values().next().value!);
}

function matches(filter: LiveFilter, event: LiveEvent): boolean {
  if (filter.widgetId !== null && event.widget_id !== null && event.widget_id !== filter.widgetId) return false;
  return filter.conversationId === undefined || event.data.conversation_id === filter.conversationId;
}

/**
 * The fan-out behind the event streams (GET /api/events, a web visitor's stream): one dedicated
 * PostgreSQL connection per API process LISTENs to `caty_live` (a trigger NOTIFYs each
 * live_events row's id and account). Each account with open streams in this process has one feed
 * that reads the account's new rows, one query per batch of notifications, and hands each stream
 * the events it shows: a thousand open streams cost what one does. A stream reads on its own only
 * to catch up when it resumes from an older id. Whichever process wrote the row, every process
 * hears it; the connection is re-established after any error (db/listen.ts).
 */
export class LiveEvents {
  private readonly feeds = new Map<string, AccountFeed>();
  private connection: { stop(): Promise<void> } | null = null;

  constructor(private readonly options: { databaseUrl: string; db: Kysely<Database>; log?: (line: string) => void }) {}

  async start(): Promise<void> {
    this.connection = await listen({
      databaseUrl: this.options.databaseUrl,
      channel: 'caty_live',
      onNotification: (payload) => this.dispatch(payload),
      // Notifications may have been missed while the connection was down: every feed reads what is new.
      onRestored: () => {
        for (const feed of this.feeds.values()) this.wake(feed, 0);
      },
      ...(this.options.log ? { log: (line: string) => this.options.log!(`live events: ${line}`) } : {}),
    });
  }

  async stop(): Promise<void> {
    await this.connection?.stop();
    this.connection = null;
  }

  /**
   * Hands `deliver` the account's events that match `filter`, in order: after `resumeAfter` (a
   * client's Last-Event-ID), or from now. Resolves once the stream is subscribed; returns the
   * unsubscribe.
   */
  async subscribe(accountId: string, filter: LiveFilter, resumeAfter: number | null, deliver: Deliver): Promise<() => void> {
    const feed = this.feedOf(accountId);
    await feed.ready;
    const subscriber: Subscriber = { filter, deliver, cursor: resumeAfter ?? feed.last, written: new Set(), backlog: null };
    const unsubscribe = () => {
      feed.subscribers.delete(subscriber);
      if (feed.subscribers.size === 0 && this.feeds.get(accountId) === feed) this.feeds.delete(accountId);
    };
    feed.subscribers.add(subscriber);
    if (subscriber.cursor >= feed.last) return unsubscribe;
    // Behind the feed: read up to it alone, keeping what the feed brings meanwhile for afterwards.
    subscriber.backlog = [];
    try {
      for (;;) {
        const events = await this.after(accountId, subscriber.cursor, filter);
        this.offer(subscriber, events, false);
        if (events.length < BATCH) break;
      }
    } finally {
      const backlog = subscriber.backlog;
      subscriber.backlog = null;
      for (const { events, late } of backlog) this.offer(subscriber, events, late);
    }
    return unsubscribe;
  }

  /** The account's events after `afterId` that match `filter`, oldest first. */
  async after(accountId: string, afterId: number, filter: LiveFilter, limit = BATCH): Promise<LiveEvent[]> {
    return this.options.db
      .selectFrom('live_events')
      .select(['id', 'kind', 'widget_id', 'data'])
      .where('account_id', '=', accountId)
      .where('id', '>', afterId)
      .$if(filter.widgetId !== null, (q) => q.where((eb) => eb.or([eb('widget_id', '=', filter.widgetId), eb('widget_id', 'is', null)])))
      .$if(filter.conversationId !== undefined, (q) => q.where(sql<string>`data->>'conversation_id'`, '=', filter.conversationId!))
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** The streams open in this process for the account. */
  streams(accountId: string): number {
    return this.feeds.get(accountId)?.subscribers.size ?? 0;
  }

  private feedOf(accountId: string): AccountFeed {
    const existing = this.feeds.get(accountId);
    if (existing) return existing;
    const feed: AccountFeed = {
      accountId,
      ready: Promise.resolve(),
      last: 0,
      subscribers: new Set(),
      seen: new Set(),
      late: new Set(),
      wantNewer: false,
      queued: false,
      reading: Promise.resolve(),
    };
    // A new feed starts at the account's newest event: one query when its first stream opens.
    feed.ready = this.latestId(accountId).then((id) => {
      feed.last = Math.max(feed.last, id);
    });
    feed.reading = feed.ready.catch(() => undefined);
    this.feeds.set(accountId, feed);
    // A feed whose first stream failed to open is not kept.
    feed.ready.catch(() => this.feeds.get(accountId) === feed && this.feeds.delete(accountId));
    return feed;
  }

  private async latestId(accountId: string): Promise<number> {
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
    const feed = this.feeds.get(accountId);
    if (feed) this.wake(feed, eventId);
  }

  /** Queues one read for the feed, unless one is queued already: it will read this event too. */
  private wake(feed: AccountFeed, eventId: number): void {
    if (eventId > 0 && eventId <= feed.last) {
      if (feed.seen.has(eventId)) return;
      feed.late.add(eventId);
    } else {
      feed.wantNewer = true;
    }
    if (feed.queued) return;
    feed.queued = true;
    feed.reading = feed.reading
      .then(() => this.read(feed))
      .catch((error: unknown) => this.log(`reading the events of ${feed.accountId} failed: ${String(error)}`));
  }

  private async read(feed: AccountFeed): Promise<void> {
    feed.queued = false;
    if (feed.subscribers.size === 0) return;
    const late = [...feed.late].filter((id) => !feed.seen.has(id));
    feed.late.clear();
    for (let i = 0; i < late.length; i += BATCH) {
      const events = await this.options.db
        .selectFrom('live_events')
        .select(['id', 'kind', 'widget_id', 'data'])
        .where('account_id', '=', feed.accountId)
        .where('id', 'in', late.slice(i, i + BATCH))
        .orderBy('id')
        .execute();
      this.publish(feed, events, true);
    }
    if (!feed.wantNewer) return;
    feed.wantNewer = false;
    const events = await this.after(feed.accountId, feed.last, { widgetId: null });
    if (events.length > 0) feed.last = Math.max(feed.last, events.at(-1)!.id);
    this.publish(feed, events, false);
    // More than a batch arrived at once: read on.
    if (events.length === BATCH) this.wake(feed, 0);
  }

  private publish(feed: AccountFeed, events: LiveEvent[], late: boolean): void {
    const fresh = events.filter((event) => !feed.seen.has(event.id));
    if (fresh.length === 0) return;
    for (const event of fresh) remember(feed.seen, event.id, SEEN_KEPT);
    for (const subscriber of feed.subscribers) {
      if (subscriber.backlog) subscriber.backlog.push({ events: fresh, late });
      else this.offer(subscriber, fresh, late);
    }
  }

  /** What of `events` the stream shows and has not shown: newer than its cursor, or late ones it lacks. */
  private offer(subscriber: Subscriber, events: LiveEvent[], late: boolean): void {
    const shown = events.filter(
      (event) => matches(subscriber.filter, event) && !subscriber.written.has(event.id) && (late || event.id > subscriber.cursor),
    );
    for (const event of events) subscriber.cursor = Math.max(subscriber.cursor, event.id);
    if (shown.length === 0) return;
    for (const event of shown) remember(subscriber.written, event.id, WRITTEN_KEPT);
    subscriber.deliver(shown);
  }

  private log(line: string): void {
    this.options.log?.(`live events: ${line}`);
  }
}
