import type { Middleware } from 'koa';
import { ApiError } from '../errors.js';

/**
 * Past `limit` requests in progress, a new one is answered at once with 503 and `Retry-After`
 * instead of queueing behind the others: a caller that retries later beats one whose connection
 * times out or is reset, and the requests already accepted keep their latency. The event stream
 * routes are not counted (they hold a connection, not work, and have caps of their own): which
 * routes those are is the route registry's to say, never the client's `Accept` header.
 */
export function loadShedding(limit: number, isStream: (method: string, path: string) => boolean, retryAfterSeconds = 1): Middleware {
  let inFlight = 0;
  return async (ctx, next) => {
    if (isStream(ctx.method, ctx.path)) return next();
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
