/**
 * `npm test`: every test file, two at a time (CATY_TEST_CONCURRENCY), against one embedded
 * PostgreSQL and one Temporal dev server started here for the whole run. Each test stack still
 * gets a database of its own (a copy of a migrated template, so no file sees another's rows) and
 * task queues of its own; only a test that needs a differently configured server (dynamic config)
 * starts its own. Started once, these save a few seconds per file. Arguments, when given, are the
 * files to run.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase } from '../db/connection.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { migrateToLatest } from '../db/migrate.js';
import { startTemporalDevServer } from '../worker/infra/temporal-dev-server.js';
import { ensureChromium, processChromiumEnvironment } from './support/chromium.js';
import { admin, SHARED_TEST_POSTGRES, SHARED_TEST_TEMPORAL, TEMPLATE_DATABASE } from './support/shared-infra.js';

const root = fileURLToPath(new URL('../', import.meta.url));

async function testFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? testFiles(path.join(dir, e.name)) : e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : [])));
  return nested.flat();
}

const files = process.argv.length > 2 ? process.argv.slice(2) : (await testFiles(path.join(root, 'test'))).map((f) => path.relative(root, f)).sort();
// Before any server starts: a run that needs the browser and cannot have it stops here.
const browserFiles = (await Promise.all(files.map(async (f) => ((await readFile(path.resolve(root, f), 'utf8')).includes('support/browser.js') ? f : null)))).filter(Boolean);
let chromiumPath: string | undefined;
if (browserFiles.length > 0) {
  try {
    chromiumPath = ensureChromium(processChromiumEnvironment());
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
// Most files wait on servers more than they compute: two at a time keep both cores busy.
const concurrency = Number(process.env.CATY_TEST_CONCURRENCY ?? 2);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error(`CATY_TEST_CONCURRENCY is how many test files run at once, a whole number from 1, not ${process.env.CATY_TEST_CONCURRENCY}`);
  process.exit(1);
}
const dataDir = await mkdtemp(path.join(tmpdir(), 'caty-test-run-'));
await chmod(dataDir, 0o711);
const postgres = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres') });
const temporal = await startTemporalDevServer({ headless: true, ...(process.env.TEMPORAL_CLI_PATH ? { cliPath: process.env.TEMPORAL_CLI_PATH } : {}) });
let code = 1;
try {
  // The template every test database is copied from: migrated once, then left without connections.
  const adminUrl = new URL(postgres.url);
  adminUrl.pathname = '/postgres';
  await admin(adminUrl.toString(), (client) => client.query(`create database ${TEMPLATE_DATABASE}`));
  const template = new URL(postgres.url);
  template.pathname = `/${TEMPLATE_DATABASE}`;
  const db = createDatabase(template.toString(), { maxConnections: 1 });
  await migrateToLatest(db);
  await db.destroy();

  const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...(chromiumPath ? { CHROMIUM_PATH: chromiumPath } : {}), [SHARED_TEST_POSTGRES]: adminUrl.toString(), [SHARED_TEST_TEMPORAL]: temporal.address },
  });
  const stop = () => child.kill('SIGINT');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  code = await new Promise<number>((resolve) => child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))));
} finally {
  await temporal.stop();
  await postgres.stop();
  await rm(dataDir, { recursive: true, force: true });
}
process.exit(code);
