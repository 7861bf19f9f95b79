import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** Whether a process with this id exists (signal 0 only checks). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A server of ours left running by a run that was killed outright (kill -9, a closed terminal)
 * would hold the data directory's locks. Its pid file names it: stop it before starting anew.
 */
export async function stopLeftoverProcess(pidFile: string, signal: NodeJS.Signals = 'SIGTERM', log: (line: string) => void = () => undefined): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid || !alive(pid)) return;
  log(`stopping a server left running by an earlier run (pid ${pid})`);
  process.kill(pid, signal);
  for (let waited = 0; waited < 10_000 && alive(pid); waited += 100) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}
