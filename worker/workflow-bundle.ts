import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const workflowsDir = path.join(repoRoot, 'workflows');

/**
 * Evaluated once per workflow thread and shared by every workflow in it, instead of once per
 * workflow: all of the workflow code. A workflow's state lives in its own function's scope and in
 * the SDK's activator, never at module scope (test/workflow/module-state.test.ts keeps it so), so
 * sharing the modules shares only code and constants; their exports are frozen by the SDK.
 * Measured with `BENCH_CACHE=large npm run bench:scale` (10,000 conversations, one run each way):
 * the worker's RSS after the first round went from 2277 to 1919 MB, after the second from 2894 to
 * 2425 MB; heap snapshots put the workflow context's heap at 79 KB a cached conversation, from 123.
 * `runtime/stack-frames.ts` must come first: it sets the context's stack depth before the freeze.
 */
const SHARED_WORKFLOW_MODULES = [
  'runtime/stack-frames.ts',
  'index.ts',
].map((module) => path.join(workflowsDir, module));

/** A bundle no process has started from in this long is for sources long gone (each edit makes one of 3.5 MB). */
const BUNDLE_KEPT_MS = 14 * 24 * 60 * 60_000;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)])));
  return nested.flat().sort();
}

/**
 * What the bundle is made of: workflow code only imports types from outside workflows/, so its
 * sources, the locked package versions and the bundle options decide it completely.
 */
async function bundleKey(): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify({ repoRoot, preload: SHARED_WORKFLOW_MODULES }));
  for (const file of [...(await filesUnder(workflowsDir)), path.join(repoRoot, 'package-lock.json')]) {
    hash.update(file).update(await readFile(file));
  }
  return hash.digest('hex').slice(0, 32);
}

async function buildBundle(): Promise<WorkflowBundleWithSourceMap> {
  const cacheDir = path.join(process.env.CATY_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'caty'), 'workflow-bundles');
  const file = path.join(cacheDir, `${await bundleKey()}.json`);
  try {
    const cached = JSON.parse(await readFile(file, 'utf8')) as WorkflowBundleWithSourceMap;
    // Its time is when it was last used: the pruning below keeps what is still run.
    const now = new Date();
    await utimes(file, now, now).catch(() => undefined);
    return cached;
  } catch {
    // Not built yet for these sources (or unreadable): build it.
  }
  const built = await bundleWorkflowCode({
    workflowsPath: path.join(workflowsDir, 'index.ts'),
    preloadModules: SHARED_WORKFLOW_MODULES,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
  });
  // Webpack takes seconds; every later process with the same sources reads it back instead.
  // Written aside and renamed, so a process reading at the same time never sees half a file.
  await mkdir(cacheDir, { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, JSON.stringify({ code: built.code, sourceMap: built.sourceMap }));
  await rename(partial, file);
  // Tidying the cache is never a reason not to start.
  await pruneBundles(cacheDir, BUNDLE_KEPT_MS).catch(() => undefined);
  return built;
}

/** Deletes the bundles in `dir` unused for `keptMs`; a bundle being written (`.tmp`) is left alone. */
export async function pruneBundles(dir: string, keptMs: number, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.json')) continue;
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (info && now - info.mtimeMs > keptMs) {
      await rm(file, { force: true });
      removed.push(name);
    }
  }
  return removed;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflow code, bundled once per set of sources and shared by every worker of the process. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= buildBundle();
  return bundle;
}
