import Koa from 'koa';
import { teamSettings, type ApiDeps } from './deps.js';
import { errorHandler } from './errors.js';
import { ApiKeys, bearerAuth } from './middleware/auth.js';
import { clientAddress } from './middleware/client-address.js';
import { DEFAULT_STREAM_LIMITS, StreamSlots } from './live/stream-slots.js';
import { DEFAULT_JSON_LIMIT, jsonBody } from './middleware/json-body.js';
import { mediaRoutes } from './routes/media.js';
import { createMetrics } from './middleware/metrics.js';
import { loadShedding } from './middleware/load-shedding.js';
import { dashboardStatic } from './middleware/dashboard-static.js';
import { methodNotAllowed } from './middleware/method-not-allowed.js';
import { publicCors } from './middleware/public-cors.js';
import { RouteRegistry } from './route-registry.js';
import { accountRoutes } from './routes/accounts.js';
import { channelRoutes } from './routes/channels.js';
import { codecRoutes } from './routes/codec.js';
import { codecCors } from './middleware/codec-cors.js';
import { contactRoutes } from './routes/contacts.js';
import { conversationRoutes } from './routes/conversations.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { languageRoutes } from './routes/language.js';
import { publicWidgetRoutes } from './routes/public-widget.js';
import { linkRoutes } from './routes/links.js';
import { SANDBOX_JSON_LIMIT, sandboxRoutes } from './routes/sandbox.js';
import { sendRoutes } from './routes/send.js';
import { sourceRoutes } from './routes/sources.js';
import { webhookRoutes } from './routes/webhooks.js';
import { widgetRoutes } from './routes/widgets.js';
import { peopleRoutes } from './routes/people.js';
import { inboxRoutes } from './routes/inbox.js';
import { reportRoutes } from './routes/reports.js';

export const API_VERSION = '0.1.0';

export function createApp(deps: ApiDeps): Koa {
  const app = new Koa();
  // Koa's own `proxy` would believe any client's X-Forwarded-For; clientAddress believes only the
  // proxies CATY_TRUST_PROXY names.
  app.proxy = false;
  const metrics = createMetrics(deps.db, deps.conversationCountsMs);
  const streams = new StreamSlots(deps.streamLimits ?? DEFAULT_STREAM_LIMITS);
  const keys = new ApiKeys(deps.db);
  const routes = new RouteRegistry();
  accountRoutes(routes, deps, keys);
  widgetRoutes(routes, deps);
  webhookRoutes(routes, deps);
  sourceRoutes(routes, deps);
  channelRoutes(routes, deps);
  linkRoutes(routes, deps);
  sandboxRoutes(routes, deps);
  sendRoutes(routes, deps);
  mediaRoutes(routes, deps);
  conversationRoutes(routes, deps);
  peopleRoutes(routes, deps);
  inboxRoutes(routes, deps);
  reportRoutes(routes, deps);
  contactRoutes(routes, deps);
  languageRoutes(routes, deps);
  eventRoutes(routes, deps, streams);
  dashboardRoutes(routes, deps);
  publicWidgetRoutes(routes, deps, streams);
  healthRoutes(routes, deps, metrics.registry, API_VERSION);
  codecRoutes(routes, deps);

  // A client that closes an event stream ends it early: that is how streams end, not an error.
  app.on('error', (error: { code?: string }) => {
    if (error?.code !== 'ERR_STREAM_PREMATURE_CLOSE') deps.log(error);
  });
  app.use(metrics.middleware);
  app.use(errorHandler(deps.log));
  app.use(clientAddress(deps.trustProxy ?? false));
  app.use(loadShedding(deps.maxRequestsInFlight ?? 512, (method, path) => routes.isStream(method, path)));
  app.use(dashboardStatic());
  app.use(publicCors(deps.db, routes.router));
  app.use(codecCors(deps.codec?.corsOrigins ?? []));
  app.use(bearerAuth({ keys, adminKey: deps.adminKey, db: deps.db, publicUrl: teamSettings(deps).publicUrl }));
  app.use(methodNotAllowed(routes.router));
  // Uploads stream to their store (routes that declare a raw body); the sandbox takes base64 files;
  // everything else 1 MiB of JSON.
  app.use(jsonBody((ctx) => (routes.takesRawBody(ctx.method, ctx.path) ? null : ctx.path === '/api/whatsapp/sandbox/messages' ? SANDBOX_JSON_LIMIT : DEFAULT_JSON_LIMIT)));
  app.use(routes.router.routes());
  return app;
}
