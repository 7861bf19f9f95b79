import type { Middleware } from 'koa';
import type { Kysely } from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../../db/schema.js';

export function createMetrics(db: Kysely<Database>) {
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
  // Read from the database when scraped, so every API process reports the same truth.
  new Gauge({
    name: 'caty_conversations',
    help: 'Conversations by mode (ai, human, handoff_requested) and channel (whatsapp, web)',
    labelNames: ['mode', 'channel'],
    registers: [registry],
    async collect() {
      const rows = await db.selectFrom('conversations').select(['mode', 'kind']).select((eb) => eb.fn.countAll<string>().as('n')).groupBy(['mode', 'kind']).execute();
      this.reset();
      for (const row of rows) this.set({ mode: row.mode, channel: row.kind }, Number(row.n));
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
