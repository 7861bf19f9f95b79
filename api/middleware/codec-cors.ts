import type { Middleware } from 'koa';

/**
 * The Temporal UI calls the codec endpoints from the operator's browser, on its own origin: those
 * origins (CATY_CODEC_CORS_ORIGINS) get the CORS headers, preflights included, with credentials
 * and the Authorization header allowed. Any other origin gets none, so its page reads nothing.
 */
export function codecCors(origins: readonly string[]): Middleware {
  const allowed = new Set(origins);
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/codec/')) return next();
    ctx.vary('Origin');
    const origin = ctx.get('origin');
    if (origin && allowed.has(origin)) {
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Access-Control-Allow-Credentials', 'true');
      if (ctx.method === 'OPTIONS') {
        ctx.set('Access-Control-Allow-Methods', 'POST, OPTIONS');
        ctx.set('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
        ctx.set('Access-Control-Max-Age', '600');
        ctx.status = 204;
        return;
      }
    }
    return next();
  };
}
