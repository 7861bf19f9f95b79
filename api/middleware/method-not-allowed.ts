import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { ApiError } from '../errors.js';

/**
 * A path that exists, asked with a method it does not have (TRACE included), answers 405 with
 * the methods it has in `Allow`; OPTIONS lists them. Paths that do not exist stay 404. Decided
 * before the body is read, so a PUT of a file to a route that takes it by POST is a 405, not a
 * complaint about the body.
 */
export function methodNotAllowed(router: Router): Middleware {
  return async (ctx, next) => {
    const matched = router.match(ctx.path, ctx.method);
    if (matched.path.length === 0 || matched.route) return next();
    const allowed = [...new Set(matched.path.flatMap((layer) => layer.methods))].sort();
    ctx.set('Allow', allowed.join(', '));
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      return;
    }
    throw new ApiError('method_not_allowed', `${ctx.method} is not supported on ${ctx.path}; use ${allowed.join(', ')}`);
  };
}
