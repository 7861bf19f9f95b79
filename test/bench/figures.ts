import { readdir, readFile } from 'node:fs/promises';

/** The `p`th percentile of sorted samples (nearest rank); NaN when there are none. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

type CpuKind = 'node' | 'temporal' | 'postgres';

/** CPU seconds used so far by each Node, Temporal server and PostgreSQL process on this machine, by pid. */
export type CpuSnapshot = Map<string, { kind: CpuKind; started: string; seconds: number }>;

const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Reads the user and system time of this process and every process it started, however deep
 * (the worker, the Temporal server, PostgreSQL and its backends), from /proc (Linux; empty
 * elsewhere). Other processes on the machine, another run's PostgreSQL among them, are left out,
 * though on a shared machine they still take CPU from this run. CPU time per message varies less
 * than throughput on a shared machine, so it is what compares two runs.
 */
export async function cpuSnapshot(root = process.pid): Promise<CpuSnapshot> {
  const snapshot: CpuSnapshot = new Map();
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    return snapshot;
  }
  const processes = new Map<string, { parent: string; kind: CpuKind | null; started: string; seconds: number }>();
  await Promise.all(
    pids.map(async (pid) => {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      // "pid (comm) state ppid ..." — comm may hold spaces, so split after its closing parenthesis.
      const close = stat.lastIndexOf(')');
      if (close < 0) return;
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      const kind: CpuKind | null = comm.startsWith('temporal') ? 'temporal' : comm.startsWith('postgres') ? 'postgres' : comm === 'node' || comm.startsWith('tsx') ? 'node' : null;
      processes.set(pid, { parent: fields[1]!, kind, started: fields[19]!, seconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND });
    }),
  );
  const ours = (pid: string): boolean => {
    for (let at: string | undefined = pid, depth = 0; at && at !== '0' && depth < 64; at = processes.get(at)?.parent, depth++) {
      if (at === String(root)) return true;
    }
    return false;
  };
  for (const [pid, { kind, started, seconds }] of processes) if (kind && ours(pid)) snapshot.set(pid, { kind, started, seconds });
  return snapshot;
}

/**
 * CPU milliseconds per message between two snapshots, by kind and in all; with `workerPid`, also
 * that Node process's own share (the rest of Node is the API and the bench's client). A process
 * started in between counts whole; one that ended in between (a database connection closed) is missed.
 */
export function cpuPerMessage(before: CpuSnapshot, after: CpuSnapshot, messages: number, workerPid?: number): Record<CpuKind | 'total', number> & { worker?: number } {
  const seconds: Record<CpuKind, number> = { node: 0, temporal: 0, postgres: 0 };
  let worker = 0;
  for (const [pid, now] of after) {
    const then = before.get(pid);
    const used = now.seconds - (then && then.started === now.started ? then.seconds : 0);
    seconds[now.kind] += used;
    if (pid === String(workerPid)) worker = used;
  }
  const per = (s: number) => round((s * 1000) / messages);
  const perKind = { node: per(seconds.node), temporal: per(seconds.temporal), postgres: per(seconds.postgres) };
  return { ...perKind, total: round(perKind.node + perKind.temporal + perKind.postgres), ...(workerPid ? { worker: per(worker) } : {}) };
}
