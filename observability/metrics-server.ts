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
 * `GET /metrics` for a process without the API (the worker, the gateway): the figures counted where
 * the work runs, and the Temporal SDK's worker metrics. The API serves the same at its /metrics.
 */
export async function startMetricsServer(port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
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
