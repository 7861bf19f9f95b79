import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection, isGrpcServiceError } from '@temporalio/client';
import { msToTs } from '@temporalio/common';
import { parse, stringify } from 'yaml';
import { freePort } from '../../config/ports.js';
import { stopLeftoverProcess } from '../../config/processes.js';
import { ensureSearchAttributes } from '../../worker/infra/search-attributes.js';
import { ALREADY_EXISTS, whenSettled } from '../../worker/infra/when-settled.js';
import { runBuildScript, waitUntilReachable } from '../../worker/infra/temporal-dev-server.js';

const execFileAsync = promisify(execFile);

/** The stores the server needs, with the schema directories (under the build) that version them. */
const STORES = [
  { database: 'temporal', schema: 'temporal' },
  { database: 'temporal_visibility', schema: 'visibility' },
] as const;

export interface PostgresCredentials {
  host: string;
  port: number;
  user: string;
  password: string;
}

export interface TemporalProductionServerOptions {
  pg: PostgresCredentials;
  /** Frontend gRPC port; a free one when absent or taken. */
  port?: number;
  namespace?: string;
  log?: (line: string) => void;
  /** Holds the server's config and pid file; the workflows themselves live in PostgreSQL. */
  dataDir: string;
}

export interface TemporalProductionServer {
  address: string;
  port: number;
  /** Milliseconds spent in each phase of this start, for comparison with the dev server. */
  timings: { buildMs: number; schemaMs: number; startMs: number; namespaceMs: number };
  /** Stops the server gracefully; everything it knows stays in PostgreSQL. */
  stop(): Promise<void>;
}

/** The directory with temporal-server, temporal-sql-tool and the schema, built on first use. */
export async function resolveTemporalServer(log: (line: string) => void = () => undefined): Promise<string> {
  const built = await runBuildScript('scripts/build-temporal-server.sh', log);
  if (built.path === null) throw new Error(`could not build the Temporal server:\n${built.output.split('\n').slice(-20).join('\n')}`);
  return built.path;
}

async function sqlTool(serverDir: string, pg: PostgresCredentials, database: string, args: string[]): Promise<void> {
  try {
    await execFileAsync(path.join(serverDir, 'temporal-sql-tool'), ['--plugin', 'postgres12', '--database', database, ...args], {
      // Through the environment rather than argv, so that the password does not show in `ps`.
      env: { ...process.env, SQL_HOST: pg.host, SQL_PORT: String(pg.port), SQL_USER: pg.user, SQL_PASSWORD: pg.password },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`temporal-sql-tool ${args[0]} on ${database} failed: ${String(error)}\n${stdout}${stderr}`.trimEnd());
  }
}

/**
 * Creates both databases and brings their schemas to the newest version the build ships. Every
 * step is a no-op when already done, so this runs on every start and also upgrades the schema
 * after TEMPORAL_SERVER_VERSION is raised.
 */
export async function setupTemporalSchema(serverDir: string, pg: PostgresCredentials): Promise<void> {
  await Promise.all(
    STORES.map(async ({ database, schema }) => {
      await sqlTool(serverDir, pg, database, ['create-database']);
      await sqlTool(serverDir, pg, database, ['setup-schema', '-v', '0.0']);
      await sqlTool(serverDir, pg, database, ['update-schema', '-d', path.join(serverDir, 'schema/postgresql/v12', schema, 'versioned')]);
    }),
  );
}

/**
 * cluster_membership.rpc_port is a SMALLINT in the PostgreSQL schema: a membership port above
 * 32767 makes the heartbeat insert fail and the server exit at startup. The OS hands out ports
 * from 32768 up, so these are drawn at random below that, where it never assigns any.
 */
const MAX_MEMBERSHIP_PORT = 32_767;

async function freeMembershipPort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const candidate = 20_000 + Math.floor(Math.random() * (MAX_MEMBERSHIP_PORT - 20_000 + 1));
    if (!taken.has(candidate) && (await freePort(candidate)) === candidate) return candidate;
  }
  throw new Error(`no free port between 20000 and ${MAX_MEMBERSHIP_PORT} for Temporal membership`);
}

const SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
type ServicePorts = Record<(typeof SERVICES)[number], { grpc: number; membership: number }>;

/** The ports of the previous start in this data dir, from the config it wrote. */
async function previousPorts(configFile: string): Promise<Partial<ServicePorts>> {
  if (!existsSync(configFile)) return {};
  try {
    const config = parse(await readFile(configFile, 'utf8')) as { services?: Record<string, { rpc?: { grpcPort?: number; membershipPort?: number } }> };
    const result: Partial<ServicePorts> = {};
    for (const service of SERVICES) {
      const rpc = config.services?.[service]?.rpc;
      if (rpc?.grpcPort && rpc.membershipPort) result[service] = { grpc: rpc.grpcPort, membership: rpc.membershipPort };
    }
    return result;
  } catch {
    return {};
  }
}

/**
 * The same ports as last time where they are still free. The membership table keeps the
 * previous run's hosts for 20 s as bootstrap seeds; when they are other ports, the new ring
 * carries dead members and stopping the server takes 8-20 s instead of 1 s (measured).
 */
async function choosePorts(previous: Partial<ServicePorts>, frontendPort: number | undefined): Promise<ServicePorts> {
  const taken = new Set<number>();
  const take = async (pick: () => Promise<number>): Promise<number> => {
    for (;;) {
      const port = await pick();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
  };
  const ports = {} as ServicePorts;
  for (const service of SERVICES) {
    const before = previous[service];
    const preferredGrpc = service === 'frontend' && frontendPort ? frontendPort : (before?.grpc ?? 0);
    ports[service] = {
      grpc: await take(() => freePort(taken.has(preferredGrpc) ? 0 : preferredGrpc)),
      membership: await take(async () => {
        const wanted = before?.membership;
        if (wanted && wanted <= MAX_MEMBERSHIP_PORT && !taken.has(wanted) && (await freePort(wanted)) === wanted) return wanted;
        return freeMembershipPort(taken);
      }),
    };
  }
  return ports;
}

function serverConfig(pg: PostgresCredentials, ports: ServicePorts) {
  const datastore = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${pg.host}:${pg.port}`,
      connectProtocol: 'tcp',
      user: pg.user,
      password: pg.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const frontendAddress = `127.0.0.1:${ports.frontend.grpc}`;
  return {
    // Warnings and worse: at info the server logs every shard and ring change.
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      // Fixed once the database is set up: the server refuses to start with a different count.
      numHistoryShards: 4,
      datastores: { default: datastore('temporal', 20), visibility: datastore('temporal_visibility', 10) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: Object.fromEntries(
      Object.entries(ports).map(([service, p]) => [service, { rpc: { grpcPort: p.grpc, membershipPort: p.membership, bindOnIP: '127.0.0.1' } }]),
    ),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      // The server rewrites the stored address when it differs, so a frontend port that had to move is fine.
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: frontendAddress } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
  };
}

async function prepareNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await whenSettled(`registering namespace ${namespace}`, 30_000, async () => {
      try {
        await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
      } catch (error) {
        if (!(isGrpcServiceError(error) && error.code === ALREADY_EXISTS)) throw error;
      }
    });
    await ensureSearchAttributes(connection, namespace);
  } finally {
    await connection.close();
  }
}

async function stopChild(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/**
 * A production Temporal server (frontend, history, matching and worker in one process) on
 * PostgreSQL, with the schema set up by Temporal's own SQL tool: what the dev server cannot
 * give, namely the persistence and behaviour of a real deployment on one machine.
 */
export async function startTemporalProductionServer(options: TemporalProductionServerOptions): Promise<TemporalProductionServer> {
  const log = options.log ?? (() => undefined);
  const namespace = options.namespace ?? 'default';
  const dataDir = path.resolve(options.dataDir);

  let phaseStart = Date.now();
  const serverDir = await resolveTemporalServer(log);
  const buildMs = Date.now() - phaseStart;

  phaseStart = Date.now();
  await setupTemporalSchema(serverDir, options.pg);
  const schemaMs = Date.now() - phaseStart;

  phaseStart = Date.now();
  const env = 'caty';
  const configFile = path.join(dataDir, 'config', `${env}.yaml`);
  const pidFile = path.join(dataDir, 'temporal-server.pid');
  // Before choosing ports: a leftover server still holds the ones we prefer.
  await stopLeftoverProcess(pidFile, 'SIGTERM', log);
  const ports = await choosePorts(await previousPorts(configFile), options.port);
  const port = ports.frontend.grpc;
  await mkdir(path.dirname(configFile), { recursive: true });
  // Written on every start: ports may have moved, and the file holds the database password.
  await writeFile(configFile, stringify(serverConfig(options.pg, ports)), { mode: 0o600 });

  const child = spawn(path.join(serverDir, 'temporal-server'), ['--root', dataDir, '--config', 'config', '--env', env, '--allow-no-auth', 'start'], {
    cwd: dataDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid) await writeFile(pidFile, `${child.pid}\n`);
  // If this process exits without stopping the server, the server must not outlive it.
  const killOnExit = () => child.kill('SIGTERM');
  process.on('exit', killOnExit);
  child.stdout?.on('data', (d: Buffer) => log(d.toString().trimEnd()));
  child.stderr?.on('data', (d: Buffer) => log(d.toString().trimEnd()));
  const address = `127.0.0.1:${port}`;
  let namespaceMs: number;
  let startMs: number;
  try {
    await waitUntilReachable(address, child, 60_000, 'temporal server');
    startMs = Date.now() - phaseStart;
    phaseStart = Date.now();
    await prepareNamespace(address, namespace);
    namespaceMs = Date.now() - phaseStart;
  } catch (error) {
    process.off('exit', killOnExit);
    child.kill('SIGKILL');
    await rm(pidFile, { force: true });
    throw error;
  }
  return {
    address,
    port,
    timings: { buildMs, schemaMs, startMs, namespaceMs },
    stop: async () => {
      process.off('exit', killOnExit);
      // Usually ~1 s, but 8-20 s when the ring still held a previous run's members (see
      // choosePorts): SIGKILL only after the slowest stop measured.
      await stopChild(child, 25_000);
      await rm(pidFile, { force: true });
    },
  };
}
