import type { Middleware } from 'koa';
import type { Kysely } from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../../db/schema.js';
import { countConversationsByMode } from '../../db/queries/conversations.js';

export function createMetrics(db: Kysely<Database>, countsEveryMs = CONVERSATION_COUNTS_MS) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'caty_' });
  const requests = new Counter({
    name: 'caty_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'caty_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  // Read from the database, so every API process reports the same truth; at most once per
  // `countsEveryMs`, however often (and by whomever) /metrics is scraped: a count over
  // every conversation is not something each request should start.
  const counts = new ConversationCounts(db, countsEveryMs);
  new Gauge({
    name: 'caty_conversations',
    help: `Conversations by mode (ai, human, handoff_requested) and channel (whatsapp, web), counted at most every ${countsEveryMs / 1000} s`,
    labelNames: ['mode', 'channel'],
    registers: [registry],
    async collect() {
      const rows = await counts.current();
      this.reset();
      for (const row of rows) this.set({ mode: row.mode, channel: row.kind }, row.n);
    },
  });
  /** Labels by the route pattern, not the raw path, so ids do not explode the series count. */
  const middleware: Middleware = async (ctx, next) => {
    const stop = duration.startTimer();
    try {
      await next();
    } finally {
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      stop({ method: ctx.method, route });
      requests.inc({ method: ctx.method, route, status: String(ctx.status) });
    }
  };
  return { registry, middleware };
}

export const CONVERSATION_COUNTS_MS = 30_000;

/**
 * The conversation counts by mode and channel, counted again only once they are older than
 * `everyMs`: a scrape meanwhile gets the last count, and starts one new count in the
 * background when it is due. Only the first scrape waits for its count.
 */
class ConversationCounts {
  private last: { rows: { mode: string; kind: string; n: number }[]; at: number } | null = null;
  private counting: Promise<void> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly everyMs: number,
  ) {}

  async current(): Promise<{ mode: string; kind: string; n: number }[]> {
    if (!this.last || Date.now() - this.last.at >= this.everyMs) {
      // A failed count leaves the last one in place; the next scrape tries again.
      this.counting ??= this.count()
        .catch(() => undefined)
        .finally(() => (this.counting = null));
      if (!this.last) await this.counting;
    }
    return this.last?.rows ?? [];
  }

  private async count(): Promise<void> {
    this.last = { rows: await countConversationsByMode(this.db), at: Date.now() };
  }
}
