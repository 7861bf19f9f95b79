import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Stack } from '../../worker/stack.js';
import { IMAGE_ENV } from './image-env.js';

/** The production conversation worker (`worker/main.ts`) as a process of its own, on this stack's database and Temporal. */
export function spawnWorkerProcess(stack: Stack, env: Record<string, string> = {}, nodeArgs: string[] = [], stderr: 'inherit' | 'ignore' = 'inherit'): ChildProcess {
  return spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'worker/main.ts'], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    env: {
      ...IMAGE_ENV,
      ...process.env,
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_TASK_QUEUE: stack.config.TEMPORAL_TASK_QUEUE,
      CATY_ADMIN_KEY: stack.adminKey,
      // The same keys as the stack: every process encrypts and decrypts what it hands Temporal.
      ...(stack.config.CATY_ENCRYPTION_KEY ? { CATY_ENCRYPTION_KEY: stack.config.CATY_ENCRYPTION_KEY } : {}),
      ...env,
    },
    stdio: ['ignore', 'ignore', stderr],
  });
}

/** SIGTERM, then waits for the process to exit (it finishes its work in progress first). */
export async function stopProcess(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}
