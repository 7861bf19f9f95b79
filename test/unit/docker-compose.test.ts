import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { configSchema } from '../../config/index.js';
import { catySearchAttributes } from '../../workflows/conversation/search-attributes.js';
import { IMAGE_ENV } from '../support/image-env.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const compose = parse(readFileSync(`${root}docker-compose.yml`, 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      image?: string;
      build?: string;
      command?: string[] | string;
      environment?: Record<string, string | number>;
      depends_on?: Record<string, { condition: string }>;
      ports?: string[];
      deploy?: { replicas?: number };
    }
  >;
};

test('docker-compose.yml wires Temporal on PostgreSQL, its UI, PostgreSQL and the three processes', () => {
  const services = compose.services;
  for (const name of ['postgres', 'temporal', 'temporal-ui', 'api', 'worker', 'gateway']) assert.ok(services[name], `service ${name}`);
  assert.equal(services.temporal!.environment!.DB, 'postgres12', 'Temporal persists in PostgreSQL');
  assert.equal(services.temporal!.environment!.POSTGRES_SEEDS, 'postgres');
  assert.equal(services['temporal-ui']!.environment!.TEMPORAL_ADDRESS, 'temporal:7233');
  const entryPoints: Record<string, string> = { api: 'api/main.ts', worker: 'worker/main.ts', gateway: 'worker/gateway.ts' };
  for (const [name, entry] of Object.entries(entryPoints)) {
    const service = services[name]!;
    assert.equal(service.build, '.');
    // Node is the container's process: no npx or tsx command line beside it holding memory and relaying signals.
    assert.deepEqual(service.command, ['node', '--import', 'tsx', entry], `${name} runs ${entry} on Node itself`);
    const env = service.environment!;
    assert.match(String(env.DATABASE_URL), /@postgres:5432\//);
    assert.equal(env.TEMPORAL_ADDRESS, 'temporal:7233');
    // Every variable compose sets is one the config module knows, with a valid value.
    const known = Object.keys(configSchema.shape);
    for (const key of Object.keys(env)) assert.ok(known.includes(key), `${name}: ${key} is a known setting`);
    // What compose takes from the shell: its default, or for a required one any valid value.
    const shell: Record<string, string> = {
      CATY_ADMIN_KEY: 'an-operator-key-of-some-length',
      CATY_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      CATY_VISITOR_TOKEN_KEY: Buffer.alloc(32, 2).toString('base64'),
    };
    const interpolate = (value: string) =>
      value.replace(/\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}/g, (_all, variable: string, fallback: string | undefined) => shell[variable] ?? fallback ?? '');
    const checked = configSchema.safeParse(Object.fromEntries(Object.entries(env).map(([key, value]) => [key, interpolate(String(value))])));
    assert.ok(checked.success, `${name}: ${JSON.stringify(checked.error?.issues)}`);
    for (const secret of ['CATY_ADMIN_KEY', 'CATY_ENCRYPTION_KEY', 'CATY_VISITOR_TOKEN_KEY']) {
      assert.match(String(env[secret]), new RegExp(`^\\$\\{${secret}:\\?`), `${name}: ${secret} must be set, never defaulted`);
    }
    assert.equal(service.depends_on?.['temporal-setup']?.condition, 'service_completed_successfully');
  }
  assert.ok(services.api!.ports!.includes('3000:3000'));
  assert.equal(services.api!.environment!.HOST, '0.0.0.0');
});

test('the setup step registers every custom search attribute the workflows use', () => {
  const command = ([] as string[]).concat(compose.services['temporal-setup']!.command ?? []).join(' ');
  for (const key of catySearchAttributes) {
    assert.match(command, new RegExp(`${key.name}=${key.type === 'INT' ? 'Int' : 'Keyword'}`));
  }
});

test('the image and the start:* scripts run their entry point on Node itself, as compose does', () => {
  const cmd = /^CMD (.+)$/m.exec(readFileSync(`${root}Dockerfile`, 'utf8'))?.[1];
  assert.deepEqual(JSON.parse(cmd ?? 'null'), ['node', '--import', 'tsx', 'api/main.ts']);
  const scripts = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;
  const entries: Record<string, string> = { 'start:api': 'api/main.ts', 'start:worker': 'worker/main.ts', 'start:gateway': 'worker/gateway.ts' };
  for (const [script, entry] of Object.entries(entries)) assert.equal(scripts[script], `node --import tsx ${entry}`);
});

test('the image sets for its processes what the tests and benches spawn theirs with', () => {
  const dockerfile = readFileSync(`${root}Dockerfile`, 'utf8');
  const set = Object.fromEntries([...dockerfile.matchAll(/^ENV (\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
  for (const [name, value] of Object.entries(IMAGE_ENV)) assert.equal(set[name], value, `Dockerfile ENV ${name}`);
});

test('the entry points compose runs exist', () => {
  for (const path of ['api/main.ts', 'worker/main.ts', 'worker/gateway.ts', 'Dockerfile']) assert.ok(readFileSync(`${root}${path}`, 'utf8').length > 0, path);
});

test('compose runs the same Temporal server version, on PostgreSQL, as the benchmark builds from the Go module proxy', () => {
  const built = /version="\$\{TEMPORAL_SERVER_VERSION:-v([\d.]+)\}"/.exec(readFileSync(`${root}scripts/build-temporal-server.sh`, 'utf8'))?.[1];
  assert.ok(built, 'the build script pins a version');
  assert.equal(compose.services.temporal!.image, `temporalio/auto-setup:${built}`);
  assert.equal(compose.services['temporal-setup']!.image, `temporalio/admin-tools:${built}`);
});

test('the Temporal UI (no login, write actions) is published on this host only; the dashboard links there', () => {
  const ui = compose.services['temporal-ui']!;
  assert.deepEqual(ui.ports, ['127.0.0.1:8233:8080']);
  for (const port of Object.values(compose.services).flatMap((service) => service.ports ?? [])) {
    if (port !== '3000:3000') assert.match(port, /^127\.0\.0\.1:/, `${port}: only the API is published on every interface`);
  }
  assert.equal(compose.services.api!.environment!.TEMPORAL_UI_URL, 'http://localhost:8233');
});

test("PostgreSQL allows the connections of every process compose runs against it", () => {
  const command = ([] as string[]).concat(compose.services.postgres!.command ?? []).join(' ');
  const maxConnections = Number(/max_connections=(\d+)/.exec(command)?.[1]);
  assert.ok(maxConnections > 100, `max_connections=${maxConnections}`);
  // Each Caty process: its pool, plus the LISTEN connections of the widget cache and the live events.
  const caty = ['api', 'worker', 'gateway'].reduce((sum, name) => {
    const service = compose.services[name]!;
    const pool = Number(service.environment!.DATABASE_POOL_SIZE);
    assert.ok(pool > 0, `${name} sets DATABASE_POOL_SIZE`);
    return sum + (service.deploy?.replicas ?? 1) * (pool + 2);
  }, 0);
  // The Temporal server runs four services in one process, each with its own pools.
  const temporal = compose.services.temporal!.environment!;
  const temporalConnections = 4 * (Number(temporal.SQL_MAX_CONNS) + Number(temporal.SQL_VIS_MAX_CONNS));
  assert.ok(Number.isFinite(temporalConnections), 'Temporal caps its connections');
  const reserved = 3 + 10; // superuser slots, and room for the setup jobs and psql
  assert.ok(caty + temporalConnections + reserved <= maxConnections, `${caty} + ${temporalConnections} + ${reserved} > ${maxConnections}`);
});

test("the setup job sets the namespace's retention from TEMPORAL_RETENTION_DAYS, by default the dev server's", () => {
  const setup = compose.services['temporal-setup']!;
  const fallback = /^\$\{TEMPORAL_RETENTION_DAYS:-(\d+)\}$/.exec(String(setup.environment!.TEMPORAL_RETENTION_DAYS))?.[1];
  assert.equal(Number(fallback), configSchema.parse({}).TEMPORAL_RETENTION_DAYS);
  assert.match(([] as string[]).concat(setup.command ?? []).join(' '), /temporal operator namespace update --namespace default --retention "\$\$\(\(TEMPORAL_RETENTION_DAYS \* 24\)\)h" &&/);
});
