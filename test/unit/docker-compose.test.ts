import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { configSchema } from '../../config/index.js';
import { catySearchAttributes } from '../../workflows/conversation/search-attributes.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const compose = parse(readFileSync(`${root}docker-compose.yml`, 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; build?: string; command?: string[] | string; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }>; ports?: string[] }>;
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
    assert.ok(([] as string[]).concat(service.command ?? []).includes(entry), `${name} runs ${entry}`);
    const env = service.environment!;
    assert.match(env.DATABASE_URL!, /@postgres:5432\//);
    assert.equal(env.TEMPORAL_ADDRESS, 'temporal:7233');
    // Every variable compose sets is one the config module knows, with a valid value.
    const known = Object.keys(configSchema.shape);
    for (const key of Object.keys(env)) assert.ok(known.includes(key), `${name}: ${key} is a known setting`);
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

test('the entry points compose runs exist', () => {
  for (const path of ['api/main.ts', 'worker/main.ts', 'worker/gateway.ts', 'Dockerfile']) assert.ok(readFileSync(`${root}${path}`, 'utf8').length > 0, path);
});

test('compose runs the same Temporal server version, on PostgreSQL, as the benchmark builds from the Go module proxy', () => {
  const built = /version="\$\{TEMPORAL_SERVER_VERSION:-v([\d.]+)\}"/.exec(readFileSync(`${root}scripts/build-temporal-server.sh`, 'utf8'))?.[1];
  assert.ok(built, 'the build script pins a version');
  assert.equal(compose.services.temporal!.image, `temporalio/auto-setup:${built}`);
  assert.equal(compose.services['temporal-setup']!.image, `temporalio/admin-tools:${built}`);
});
