import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Middleware } from 'koa';

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
  const rest = urlPath === '/dashboard' || urlPath === '/dashboard/' ? 'index.html' : decodeURIComponent(urlPath.slice('/dashboard/'.length));
  if (rest.startsWith('vendor/')) {
    const vendor = VENDOR[rest.slice('vendor/'.length)];
    return vendor ? path.join(root, vendor) : null;
  }
  const file = path.resolve(dashboardDir, rest);
  // Nothing outside the dashboard folder, whatever the path says ("../", encoded or not).
  return file.startsWith(dashboardDir + path.sep) ? file : null;
}
