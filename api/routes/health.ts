import { ping } from '../../db/connection.js';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { metricsAuthorised, processMetrics } from '../../observability/metrics-server.js';
import { ApiError } from '../errors.js';
import { buildOpenApi } from '../openapi.js';
import type { RouteRegistry } from '../route-registry.js';

/** The document's outline: what a client reads first; the rest is OpenAPI 3.1's own schema. */
const openApiDocument = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

const check = z.object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.string()).optional() });

async function probe(fn: () => Promise<unknown>): Promise<string> {
  try {
    await Promise.race([fn(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 2 s')), 2000))]);
    return 'ok';
  } catch (error) {
    return `failing: ${(error as Error).message}`;
  }
}

export function healthRoutes(routes: RouteRegistry, deps: ApiDeps, metrics: Registry, version: string): void {
  routes.add(
    { method: 'get', path: '/healthz', tag: 'operations', auth: false, summary: 'Liveness', responses: { 200: { description: 'Alive', schema: check } } },
    async () => ({ body: { status: 'ok' } }),
  );
  routes.add(
    {
      method: 'get',
      path: '/readyz',
      tag: 'operations',
      auth: false,
      summary: 'Readiness: PostgreSQL and Temporal reachable',
      responses: { 200: { description: 'Ready', schema: check }, 503: { description: 'Not ready', schema: check } },
    },
    async () => {
      const [database, temporal] = await Promise.all([
        probe(() => ping(deps.db)),
        probe(() => deps.client.connection.workflowService.getSystemInfo({})),
      ]);
      const ok = database === 'ok' && temporal === 'ok';
      return { status: ok ? 200 : 503, body: { status: ok ? 'ok' : 'unavailable', checks: { database, temporal } } };
    },
  );
  routes.add(
    {
      method: 'get',
      path: '/metrics',
      tag: 'operations',
      auth: false,
      summary: 'Prometheus metrics (bearer token: CATY_METRICS_TOKEN, or the operator key)',
      headers: [{ name: 'Authorization', description: 'Bearer <CATY_METRICS_TOKEN or the operator key>' }],
      responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain' }, 401: { description: 'No or a wrong token' } },
    },
    // The API's own metrics, then what a worker or gateway process serves too.
    async ({ ctx }) => {
      if (!metricsAuthorised(ctx.get('authorization'), [deps.metricsToken ?? deps.adminKey])) {
        ctx.set('WWW-Authenticate', 'Bearer');
        throw new ApiError('unauthorized', 'send CATY_METRICS_TOKEN (or the operator key) as `Authorization: Bearer <token>`');
      }
      return { body: `${await metrics.metrics()}\n${await processMetrics()}`, type: metrics.contentType };
    },
  );
  routes.add(
    {
      method: 'get',
      path: '/openapi.json',
      tag: 'operations',
      auth: false,
      summary: 'This document',
      responses: { 200: { description: 'OpenAPI 3.1', schema: openApiDocument } },
    },
    async () => ({ body: buildOpenApi(routes.specs, version) }),
  );
}
