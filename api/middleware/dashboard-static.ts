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
  'chart.umd.min.js': 'node_modules/chart.js/dist/chart.umd.min.js',
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
    if (ctx.path === '/demo') return serveDemoPage(ctx);
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
  // An invitation link opens the dashboard, which reads the token from its own address.
  const app = urlPath === '/dashboard' || urlPath === '/dashboard/' || /^\/dashboard\/invite\/[A-Za-z0-9_-]+$/.test(urlPath);
  const rest = app ? 'index.html' : decodePathPart(urlPath.slice('/dashboard/'.length));
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

const WIDGET_ID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * A page that embeds a widget the way a business's site would: `/demo` the demo widget that
 * `npm start` seeds, `/demo?widget=<id>` any other (the dashboard's "Try it"). It is on Caty's own
 * origin, so the widget answers it only where that origin is in its allowed_origins; when it is
 * not, the page says so instead of showing a bubble that never answers.
 */
function serveDemoPage(ctx: Context): void {
  const widgetId = ctx.query.widget ?? 'wgt_demo';
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-cache');
  if (typeof widgetId !== 'string' || !WIDGET_ID.test(widgetId)) {
    ctx.status = 400;
    ctx.body = demoPage('Caty web widget demo', '<p role="alert">The <code>widget</code> parameter must be a widget id such as <code>wgt_demo</code>.</p>');
    return;
  }
  const tag = `<script src="/widget.js" data-widget="${widgetId}" async></script>`;
  ctx.body = demoPage(
    'Caty web widget demo',
    `<p>This page embeds the widget <code>${widgetId}</code> with one script tag, as a business's site would. Open the chat bubble in the corner and ask a question.</p>
<pre><code>${tag.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</code></pre>
<p id="status" role="status"></p>
<script>
fetch('/public/widgets/${widgetId}').then(function (r) {
  var say = function (text) { document.getElementById('status').textContent = text; };
  if (r.status === 403) say('This widget does not allow pages on ' + location.origin + ' yet: add that origin to its allowed origins (dashboard, Widget, Website) and reload this page.');
  else if (r.status === 404) say('There is no widget ${widgetId}.');
  else if (r.ok) return r.json().then(function (w) { document.querySelector('h1').textContent = w.title; document.title = w.title + ' · Caty web widget demo'; });
});
</script>
${tag}`,
  );
}

function demoPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><link rel="icon" href="/dashboard/favicon.svg" type="image/svg+xml"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<main><h1>${title}</h1>
${body}
</main>
</body></html>
`;
}
