/**
 * `npm start`: the whole service in one terminal on embedded defaults. Temporal dev server with
 * its Web UI, embedded PostgreSQL in CATY_DATA_DIR, the worker and the API; Ctrl-C stops it all.
 */
import path from 'node:path';
import { ConfigError, loadConfig } from '../config/index.js';
import { seedDemo, DEMO_BUSINESS_PHONE, DEMO_WIDGET_ID } from './seed-demo.js';
import { embeddedPostgres, temporalDevServer } from './infra/local-servers.js';
import { startStack } from './stack.js';

async function main(): Promise<void> {
  const config = loadConfig({ CATY_ALLOW_PRIVATE_WEBHOOKS: '1', CATY_ALLOW_PRIVATE_URLS: '1', CATY_SANDBOX: '1', ...process.env });
  const dataDir = path.resolve(config.CATY_DATA_DIR);
  console.log(`Starting Caty (data in ${dataDir})…`);
  const stack = await startStack({
    config,
    dataDir,
    startPostgres: embeddedPostgres(),
    startTemporal: temporalDevServer({ persist: true, port: 7233, uiPort: 8233 }),
    apiPort: config.PORT,
    log: (line) => {
      if (process.env.CATY_VERBOSE || /error|fail/i.test(line)) console.error(line);
    },
  });
  const origin = new URL(stack.apiUrl!).origin;
  // The demo page answers whichever name the browser uses for this machine.
  await seedDemo(stack.db, [...new Set([origin, origin.replace('//127.0.0.1:', '//localhost:')])]);

  const curl = [
    `curl -s -X POST ${stack.apiUrl}/api/whatsapp/sandbox/messages`,
    `-H 'Authorization: Bearer ${stack.adminKey}' -H 'Content-Type: application/json'`,
    `-d '{"to":"${DEMO_BUSINESS_PHONE}","from":"+40721234567","text":"Buna ziua, cat costa livrarea?"}'`,
  ].join(' \\\n    ');
  console.log(`
Caty is running.

  Dashboard      ${stack.apiUrl}/dashboard   (sign in with the API key below)
  Web widget     ${stack.apiUrl}/demo   (a page with the demo widget's script tag)
  API            ${stack.apiUrl}   (OpenAPI: ${stack.apiUrl}/openapi.json)
  Temporal UI    ${stack.temporalUiUrl ?? '(external Temporal: ' + stack.temporalAddress + ')'}
  Temporal       ${stack.temporalAddress}
  PostgreSQL     ${stack.databaseUrl}
  API key        ${stack.adminKey}
  Demo widget    ${DEMO_WIDGET_ID}, sandbox number ${DEMO_BUSINESS_PHONE}

Send a demo message:
    ${curl}

Then read the reply:
    curl -s '${stack.apiUrl}/api/whatsapp/sandbox/outbox?phone=%2B40721234567' -H 'Authorization: Bearer ${stack.adminKey}'

Press Ctrl-C to stop.
`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await stack.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
