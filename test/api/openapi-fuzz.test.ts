import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startTestStack, type TestStack } from '../support/stack.js';

// Schemathesis generates requests from /openapi.json, valid and invalid, and runs every check
// on the answers: documented statuses and schemas, 4xx for what the document forbids, 2xx for
// what it allows, no 5xx. A fixed seed and time budget keep the run the same size on every CI.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const budgetSeconds = Number(process.env.CATY_FUZZ_SECONDS ?? 60);
// Another seed explores other requests (a longer hunt on a workstation); CI keeps this one.
const seed = process.env.CATY_FUZZ_SEED ?? '20261127';

let stack: TestStack;
let st: string;

before(async () => {
  const { stdout } = await promisify(execFile)('bash', [path.join(root, 'scripts/ensure-schemathesis.sh')], { maxBuffer: 1 << 20 });
  st = stdout.trim();
  stack = await startTestStack();
});

after(async () => {
  await stack?.stop();
});

test('schemathesis finds nothing wrong with the API against its OpenAPI document', { timeout: (budgetSeconds + 120) * 1000 }, async () => {
  const args = [
    '--config-file',
    path.join(root, 'test/api/schemathesis.toml'),
    '--no-color',
    'run',
    `${stack.apiUrl}/openapi.json`,
    '--checks',
    'all',
    '--header',
    `Authorization: Bearer ${stack.adminKey}`,
    '--max-time',
    String(budgetSeconds),
    '--seed',
    seed,
    // One worker: with several threads, CPython 3.11's ast.parse (used by hypothesis to describe
    // its filters) can fail with "AST constructor recursion depth mismatch".
    '--workers',
    '1',
    '--request-timeout',
    '20',
    // An endless event stream: every request to it would run into the timeout (tested in events.test.ts).
    '--exclude-path',
    '/api/events',
  ];
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    // Its working files (an example database) go to the stack's own directory, removed afterwards.
    const child = spawn(st, args, { cwd: stack.dataDir, env: { ...process.env, SCHEMATHESIS_TELEMETRY: 'false' } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
  assert.equal(code, 0, `schemathesis reported problems:\n${output.slice(-20_000)}`);
  // A run that tested nothing would also exit 0.
  assert.match(output, /\d+ passed/, output.slice(-4000));
});
