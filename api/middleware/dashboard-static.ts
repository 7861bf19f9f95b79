import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Middleware } from 'koa';
import { decodePathPart } from '../errors.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dashboardDir = path.join(root, 'dashboard');

// The front-end libraries come from node_modules, served by Caty itself: no CDN, no build step.
const VENDOR: Record<string, string> = {
  'preact.mjs': 'node_modules/preact/dist/preact.mjs',
  'preact-hooks.mjs': 'node_modules/preact/hooks/dist/hooks.mjs',
  'htm.mjs': 'node_modules/htm/dist/htm.module.js',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** `/` redirects to the dashboard; `/dashboard` and its files are served from dashboard/. */
export function dashboardStatic(): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === '/') return ctx.redirect('/dashboard');
    if (ctx.path === '/widget.js') return serveWidgetScript(ctx);
    if (ctx.path === '/demo') {
      // A page that embeds the demo widget the way a business's site would (npm start seeds it).
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = DEMO_PAGE;
      return;
    }
    if (ctx.path !== '/dashboard' && !ctx.path.startsWith('/dashboard/')) return next();
    const file = resolveFile(ctx.path);
    if (!file) return next();
    try {
      ctx.body = await readFile(file);
    } catch {
      return next();
    }
    ctx.type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    // The app's own files change with each release; revalidate rather than cache blindly.
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('Content-Security-Policy', "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; connect-src 'self'");
    ctx.set('X-Content-Type-Options', 'nosniff');
  };
}

function resolveFile(urlPath: string): string | null {
  const rest = urlPath === '/dashboard' || urlPath === '/dashboard/' ? 'index.html' : decodePathPart(urlPath.slice('/dashboard/'.length));
  if (rest.startsWith('vendor/')) {
    const vendor = VENDOR[rest.slice('vendor/'.length)];
    return vendor ? path.join(root, vendor) : null;
  }
  const file = path.resolve(dashboardDir, rest);
  // Nothing outside the dashboard folder, whatever the path says ("../", encoded or not).
  return file.startsWith(dashboardDir + path.sep) ? file : null;
}

/** The web widget's one script (widget/widget.js), embedded by any page: cacheable, no CSP of ours. */
async function serveWidgetScript(ctx: Context): Promise<void> {
  ctx.body = await readFile(path.join(root, 'widget', 'widget.js'));
  ctx.type = 'text/javascript; charset=utf-8';
  ctx.set('Cache-Control', 'public, max-age=300');
  ctx.set('Access-Control-Allow-Origin', '*');
  ctx.set('X-Content-Type-Options', 'nosniff');
}

const DEMO_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Caty web widget demo</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<h1>Magazinul Demo</h1>
<p>This page embeds the demo widget with one script tag. Open the chat bubble and ask "Cât costă livrarea?".</p>
<pre>&lt;script src="/widget.js" data-widget="wgt_demo" async&gt;&lt;/script&gt;</pre>
<script src="/widget.js" data-widget="wgt_demo" async></script>
</body></html>
`;
