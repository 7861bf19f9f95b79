import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common';
import { freePort } from '../../config/ports.js';
import { stopLeftoverProcess } from '../../config/processes.js';
import { catySearchAttributes } from '../../workflows/conversation/search-attributes.js';
import { ensureSearchAttributes } from './search-attributes.js';

const execFileAsync = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface TemporalDevServer {
  address: string;
  uiUrl: string | null;
  port: number;
  /** The server's process id. */
  pid: number;
  /** Stops the server gracefully (its SQLite file, when any, keeps every workflow). */
  stop(): Promise<void>;
}

export interface TemporalDevServerOptions {
  /** SQLite file that keeps workflows across restarts; in-memory when absent. */
  dbFile?: string;
  port?: number;
  uiPort?: number;
  headless?: boolean;
  namespace?: string;
  /** How long the namespace keeps closed workflows' histories (TEMPORAL_RETENTION_DAYS); the server's own default when absent. */
  retentionDays?: number;
  /** Extra dynamic config, e.g. { 'limit.historyCount.suggestContinueAsNew': 200 }. */
  dynamicConfig?: Record<string, string | number | boolean>;
  cliPath?: string;
  log?: (line: string) => void;
}

/**
 * What the dev server runs with unless a caller says otherwise. The CLI turns on
 * `system.forceSearchAttributesCacheRefreshOnRead` so that search attributes created while it
 * runs are usable at once; ours are all registered by `--search-attribute` before it serves a
 * request, and with the flag on every start, upsert and visibility write re-read them from SQLite
 * under one lock (5% of the server's CPU in a burst of first messages, profiled with pprof).
 */
const DEV_SERVER_DYNAMIC_CONFIG: Readonly<Record<string, string | number | boolean>> = {
  'system.forceSearchAttributesCacheRefreshOnRead': false,
};

async function onPath(name: string): Promise<string | null> {
  try {
    const { stdout } = await execFileAsync('sh', ['-c', `command -v ${name}`]);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

/**
 * TEMPORAL_CLI_PATH, then `temporal` on PATH, then the cached build from the Go module proxy. The
 * first build takes minutes with nothing to see, so whoever waits is told what is happening
 * (`notice`, the terminal by default), that it happens once, and how long it has taken so far.
 */
export async function resolveTemporalCli(
  explicit?: string,
  log: (line: string) => void = () => undefined,
  notice: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<string> {
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`TEMPORAL_CLI_PATH points to ${explicit}, which does not exist`);
    return explicit;
  }
  const found = await onPath('temporal');
  if (found) return found;
  const script = 'scripts/build-temporal-cli.sh';
  const cached = await runBuildScript(script, log, ['--cached']);
  if (cached.path) return cached.path;
  notice('Building the Temporal dev server (the `temporal` CLI) from the Go module proxy: this happens once, on the first run, and takes about 3 minutes; later runs start at once from the cached build (~/.cache/caty).');
  const started = Date.now();
  const progress = setInterval(() => notice(`  … still building the Temporal CLI (${minutesAndSeconds(Date.now() - started)} so far)`), 30_000);
  let built: BuildResult;
  try {
    built = await runBuildScript(script, log);
  } finally {
    clearInterval(progress);
  }
  if (built.path === null) {
    throw new Error(`could not build the Temporal CLI; install \`temporal\` or set TEMPORAL_CLI_PATH. The build said:\n${built.output.split('\n').slice(-20).join('\n')}`);
  }
  notice(`Temporal CLI built in ${minutesAndSeconds(Date.now() - started)}: ${built.path}`);
  return built.path;
}

function minutesAndSeconds(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

export interface BuildResult {
  /** The script's result (the last line of its stdout); null when it failed. */
  path: string | null;
  /** What it wrote to stderr. */
  output: string;
}

/**
 * Runs one of the repo's build scripts, which print their result as the last line of stdout and
 * their progress on stderr (forwarded to log, and kept to explain a failure).
 */
export async function runBuildScript(script: string, log: (line: string) => void = () => undefined, args: string[] = []): Promise<BuildResult> {
  const child = spawn('bash', [path.join(repoRoot, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    log(d.toString().trimEnd());
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { path: code === 0 ? out.trim().split('\n').pop()! : null, output: err.trim() };
}

/** Polls the frontend at address until it answers, failing early when the child server exits. */
export async function waitUntilReachable(address: string, child: ChildProcess, timeoutMs: number, what = 'temporal dev server'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${what} did not answer at ${address} within ${timeoutMs} ms: ${String(lastError)}`);
}

/**
 * Brings the namespace of a server just started up to this release: the retention of closed
 * histories (TEMPORAL_RETENTION_DAYS, set on every start so a changed setting applies) and, for a
 * database file an earlier release may have created, the search attributes added since.
 */
async function prepareNamespace(address: string, namespace: string, options: { retentionDays: number | undefined; existingFile: boolean; log: (line: string) => void }): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    if (options.retentionDays !== undefined) {
      await connection.workflowService.updateNamespace({ namespace, config: { workflowExecutionRetentionTtl: msToTs(options.retentionDays * 86_400_000) } });
    }
    if (options.existingFile) {
      const added = await ensureSearchAttributes(connection, namespace);
      if (added.length > 0) options.log(`temporal dev server: added search attributes ${added.join(', ')} to namespace ${namespace}`);
    }
  } finally {
    await connection.close();
  }
}

export async function startTemporalDevServer(options: TemporalDevServerOptions = {}): Promise<TemporalDevServer> {
  const log = options.log ?? (() => undefined);
  const cli = await resolveTemporalCli(options.cliPath, log);
  const port = await freePort(options.port ?? 0);
  const uiPort = options.headless ? null : await freePort(options.uiPort ?? 0);
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--namespace', options.namespace ?? 'default',
    '--log-level', 'error',
    ...(uiPort ? ['--ui-port', String(uiPort)] : ['--headless']),
    ...catySearchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=${key.type === 'INT' ? 'Int' : 'Keyword'}`]),
    ...Object.entries({ ...DEV_SERVER_DYNAMIC_CONFIG, ...options.dynamicConfig }).flatMap(([k, v]) => ['--dynamic-config-value', `${k}=${JSON.stringify(v)}`]),
  ];
  const pidFile = options.dbFile ? `${options.dbFile}.pid` : null;
  const existingFile = options.dbFile !== undefined && existsSync(options.dbFile);
  if (options.dbFile && pidFile) {
    await mkdir(path.dirname(options.dbFile), { recursive: true });
    await stopLeftoverProcess(pidFile, 'SIGTERM', log);
    args.push('--db-filename', options.dbFile);
    // Write-ahead log: one fsync per commit instead of the rollback journal's several. Synced at
    // every commit (`full`), not only at checkpoints: the inbox marks a message handed over once
    // Temporal has accepted its signal, so Temporal must not lose that signal to a power loss.
    args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=full');
  }
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (pidFile && child.pid) await writeFile(pidFile, `${child.pid}\n`);
  // If this process exits without stopping the server (an uncaught error, process.exit from a
  // signal hook), the server must not outlive it.
  const killOnExit = () => child.kill('SIGTERM');
  process.on('exit', killOnExit);
  child.stdout?.on('data', (d: Buffer) => log(d.toString().trimEnd()));
  child.stderr?.on('data', (d: Buffer) => log(d.toString().trimEnd()));
  const address = `127.0.0.1:${port}`;
  try {
    await waitUntilReachable(address, child, 60_000);
    if (options.retentionDays !== undefined || existingFile) {
      await prepareNamespace(address, options.namespace ?? 'default', { retentionDays: options.retentionDays, existingFile, log });
    }
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    address,
    port,
    uiUrl: uiPort ? `http://127.0.0.1:${uiPort}` : null,
    pid: child.pid!,
    stop: async () => {
      process.off('exit', killOnExit);
      if (pidFile) await rm(pidFile, { force: true });
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
