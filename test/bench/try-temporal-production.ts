/**
 * Smoke check of the production Temporal server on embedded PostgreSQL: starts both, asks the
 * server about its namespace and search attributes, starts a workflow carrying Caty search
 * attributes (no worker: it only has to be stored and found through SQL visibility), prints how
 * long each phase took, stops both.
 *
 *   node --import tsx test/bench/try-temporal-production.ts [data-dir]
 *
 * VERBOSE=1 forwards the logs of PostgreSQL, the build and the server to stderr.
 * With a data dir, PostgreSQL and the server config are kept there, so a second run shows a
 * restart on existing data; without one, everything goes into a temporary directory removed at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../db/embedded.js';
import { startTemporalProductionServer, type TemporalProductionServer } from '../support/temporal-production-server.js';
import { CatyLeadScore, CatyWidgetId, catySearchAttributes } from '../../workflows/conversation/search-attributes.js';

const verbose = process.env.VERBOSE === '1';
const log = (prefix: string) => (line: string) => {
  if (verbose) process.stderr.write(`[${prefix}] ${line}\n`);
};

const keep = process.argv[2];
const root = keep ? path.resolve(keep) : await mkdtemp(path.join(tmpdir(), 'caty-temporal-production-'));
let pg: EmbeddedPostgresHandle | undefined;
let server: TemporalProductionServer | undefined;
let failed = false;
console.error('starting embedded PostgreSQL and a production Temporal server (the first run builds the server from the Go module proxy: minutes)');
try {
  let started = Date.now();
  pg = await startEmbeddedPostgres({ dataDir: path.join(root, 'postgres'), log: log('postgres') });
  const pgMs = Date.now() - started;
  const url = new URL(pg.url);
  started = Date.now();
  server = await startTemporalProductionServer({
    pg: { host: url.hostname, port: pg.port, user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) },
    dataDir: path.join(root, 'temporal'),
    log: log('temporal'),
  });
  const totalMs = Date.now() - started;

  const connection = await Connection.connect({ address: server.address });
  const { namespaceInfo, config } = await connection.workflowService.describeNamespace({ namespace: 'default' });
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
  const missing = catySearchAttributes.filter((key) => !(key.name in (customAttributes ?? {})));
  if (namespaceInfo?.name !== 'default' || missing.length > 0) {
    throw new Error(`unexpected server state: namespace ${namespaceInfo?.name}, missing search attributes ${missing.map((k) => k.name).join(', ')}`);
  }

  // Visibility rows are written asynchronously by the history service's visibility queue.
  started = Date.now();
  const client = new Client({ connection, namespace: 'default' });
  const widgetId = `try-${randomUUID()}`;
  const handle = await client.workflow.start('catyProductionCheck', {
    taskQueue: 'caty-production-check',
    workflowId: widgetId,
    typedSearchAttributes: [
      { key: CatyWidgetId, value: widgetId },
      { key: CatyLeadScore, value: 7 },
    ],
  });
  let found = 0;
  while (found === 0 && Date.now() - started < 10_000) {
    for await (const _ of client.workflow.list({ query: `CatyWidgetId = '${widgetId}' AND CatyLeadScore = 7` })) found++;
    if (found === 0) await new Promise((r) => setTimeout(r, 100));
  }
  await handle.terminate('smoke check done');
  const workflowMs = Date.now() - started;
  await connection.close();
  if (found !== 1) throw new Error(`the workflow started with CatyWidgetId=${widgetId} was not found through visibility`);

  console.log(`temporal server at ${server.address}, data in ${root}`);
  console.log(`namespace ${namespaceInfo.name}: retention ${Number(config?.workflowExecutionRetentionTtl?.seconds ?? 0) / 3600} h, state ${namespaceInfo.state}`);
  console.log(`custom search attributes: ${Object.keys(customAttributes ?? {}).sort().join(', ')}`);
  console.log(`embedded postgres start:  ${pgMs} ms`);
  console.log(`build (or cache check):   ${server.timings.buildMs} ms`);
  console.log(`schema setup:             ${server.timings.schemaMs} ms`);
  console.log(`server start (frontend):  ${server.timings.startMs} ms`);
  console.log(`namespace + attributes:   ${server.timings.namespaceMs} ms`);
  console.log(`temporal total:           ${totalMs} ms`);
  console.log(`workflow start + listed:  ${workflowMs} ms`);
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  const stopping = Date.now();
  await server?.stop();
  const serverStopMs = Date.now() - stopping;
  await pg?.stop();
  console.log(`server stop:              ${serverStopMs} ms`);
  if (!keep) await rm(root, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
