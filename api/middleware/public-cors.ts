import type Router from '@koa/router';
import type { Kysely } from 'kysely';
import type { Context, Middleware } from 'koa';
import type { Database, Widget } from '../../db/schema.js';
import { findWidget } from '../../db/queries/widgets.js';
import { ApiError, decodePathPart } from '../errors.js';

const PUBLIC_PATH = /^\/public\/widgets\/([^/]+)(\/|$)/;

/**
 * The page a request comes from, as far as a browser tells: its `Origin`; for a request without
 * one, this server's own origin when the browser says the page is on it (Fetch Metadata
 * `Sec-Fetch-Site: same-origin`; a same-origin GET carries no Origin) or says nothing at all (a
 * browser older than Fetch Metadata, whose cross-origin requests from a page always carry an
 * Origin). A request that the browser marks as coming from elsewhere without an Origin (an image or
 * a link on another site) has no page to allow: null.
 */
export function requestingOrigin(ctx: Pick<Context, 'get' | 'protocol' | 'host'>): string | null {
  const origin = ctx.get('origin');
  if (origin) return origin;
  const site = ctx.get('sec-fetch-site');
  // The origin as the browser addressed it (behind a proxy, from X-Forwarded-Proto and -Host).
  return !site || site === 'same-origin' ? `${ctx.protocol}://${ctx.host}` : null;
}

/**
 * The web widget's routes answer only pages the widget allows: the requesting page's origin (see
 * requestingOrigin) must be in its `allowed_origins` ("*" allows any), so a page on Caty's own
 * origin (the demo page) is allowed where that origin is. Preflights are answered here; an allowed
 * origin gets the CORS headers, anything else a 403 without them, so the browser shows the page
 * nothing. The widget is left in `ctx.state.publicWidget` for the routes.
 */
export function publicCors(db: Kysely<Database>, router: Router): Middleware {
  const cache = new Map<string, { widget: Widget | undefined; until: number }>();
  async function widgetById(id: string): Promise<Widget | undefined> {
    const cached = cache.get(id);
    if (cached && cached.until > Date.now()) return cached.widget;
    const widget = await findWidget(db, id);
    // Settings changes reach every API process within seconds.
    cache.set(id, { widget, until: Date.now() + 5000 });
    if (cache.size > 10_000) cache.clear();
    return widget;
  }

  return async (ctx, next) => {
    const match = PUBLIC_PATH.exec(ctx.path);
    // A method the path does not have gets its 405 with Allow from the router, whatever the Origin.
    if (!match || (ctx.method !== 'OPTIONS' && !router.match(ctx.path, ctx.method).route)) return next();
    const widgetId = decodePathPart(match[1]!);
    const widget = widgetId.includes('\u0000') ? undefined : await widgetById(widgetId);
    if (!widget) throw ApiError.notFound(`widget ${match[1]}`);
    const origin = requestingOrigin(ctx);
    const allowed = widget.settings.allowed_origins ?? [];
    if (!origin || !(allowed.includes('*') || allowed.includes(origin.toLowerCase()))) {
      throw new ApiError('forbidden', origin ? `the page ${origin} is not allowed to use this widget (allowed_origins)` : 'the web widget answers browsers on allowed pages only: a request from another site must carry its Origin');
    }
    // A same-origin request needs no CORS headers; the answer still differs by Origin.
    if (ctx.get('origin')) ctx.set('Access-Control-Allow-Origin', origin);
    ctx.set('Vary', 'Origin, Sec-Fetch-Site');
    if (ctx.method === 'OPTIONS') {
      ctx.set('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      ctx.set('Access-Control-Allow-Headers', 'Authorization, Content-Type, Last-Event-ID');
      ctx.set('Access-Control-Max-Age', '600');
      ctx.status = 204;
      return;
    }
    ctx.set('Access-Control-Expose-Headers', 'Retry-After');
    ctx.state.publicWidget = widget;
    return next();
  };
}
