import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { register } from 'prom-client';
import { temporalSdkMetrics } from './temporal-runtime.js';

/**
 * What this process counted (prom-client's default registry: messages, reply latency, AI,
 * webhooks) and the Temporal SDK's worker metrics, when it runs a worker.
 */
export async function processMetrics(): Promise<string> {
  return `${await register.metrics()}\n${await temporalSdkMetrics()}`;
}

/**
 * Whether an Authorization header carries one of the tokens as `Bearer <token>`. Metrics say how
 * busy the service is and how its conversations stand: Prometheus sends the token
 * (`authorization: {credentials: ...}` in its scrape config).
 */
export function metricsAuthorised(header: string | undefined, tokens: string[]): boolean {
  const given = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!given) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return tokens.some((token) => timingSafeEqual(digest(token), digest(given)));
}

/**
 * `GET /metrics` for a process without the API (the worker, the gateway): the figures counted where
 * the work runs, and the Temporal SDK's worker metrics. The API serves the same at its /metrics.
 */
export async function startMetricsServer(port: number, host: string, tokens: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
      return;
    }
    if (!metricsAuthorised(req.headers.authorization, tokens)) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('send CATY_METRICS_TOKEN (or the operator key) as `Authorization: Bearer <token>`\n');
      return;
    }
    void processMetrics().then(
      (text) => res.writeHead(200, { 'content-type': register.contentType }).end(text),
      (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}
