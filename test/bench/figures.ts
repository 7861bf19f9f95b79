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
 * Reads every process's user and system time from /proc (Linux; empty elsewhere). Run alone: any
 * other Node, Temporal or PostgreSQL process on the machine is counted too. CPU time per message
 * varies less than throughput on a shared machine, so it is what compares two runs.
 */
export async function cpuSnapshot(): Promise<CpuSnapshot> {
  const snapshot: CpuSnapshot = new Map();
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    return snapshot;
  }
  await Promise.all(
    pids.map(async (pid) => {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      // "pid (comm) state ..." — comm may hold spaces, so split after its closing parenthesis.
      const close = stat.lastIndexOf(')');
      if (close < 0) return;
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      const kind: CpuKind | null = comm.startsWith('temporal') ? 'temporal' : comm.startsWith('postgres') ? 'postgres' : comm === 'node' || comm.startsWith('tsx') ? 'node' : null;
      if (kind) snapshot.set(pid, { kind, started: fields[19]!, seconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND });
    }),
  );
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
