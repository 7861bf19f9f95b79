import type { Middleware } from 'koa';
import { ApiError } from '../errors.js';

/**
 * Past `limit` requests in progress, a new one is answered at once with 503 and `Retry-After`
 * instead of queueing behind the others: a caller that retries later beats one whose connection
 * times out or is reset, and the requests already accepted keep their latency. Long-lived event
 * streams are not counted: they hold a connection, not work.
 */
export function loadShedding(limit: number, retryAfterSeconds = 1): Middleware {
  let inFlight = 0;
  return async (ctx, next) => {
    if (ctx.get('accept').includes('text/event-stream')) return next();
    if (inFlight >= limit) {
      ctx.set('Retry-After', String(retryAfterSeconds));
      throw new ApiError('unavailable', `the service is busy (${inFlight} requests in progress); try again in ${retryAfterSeconds} s`);
    }
    inFlight++;
    try {
      await next();
    } finally {
      inFlight--;
    }
  };
}
