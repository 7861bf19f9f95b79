/**
 * The browser tests drive Debian's chromium (through playwright-core, which downloads no browser).
 * `npm test` makes sure it is there before anything starts: CHROMIUM_PATH when set, else
 * `chromium` on PATH; when it is missing, root installs it with apt-get, and anyone else is
 * stopped at once with the one command to run.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

export interface ChromiumEnvironment {
  CHROMIUM_PATH?: string | undefined;
  PATH?: string | undefined;
  /** The user id the tests run as (0: root, who may install packages). */
  uid: number;
}

export type ChromiumPlan =
  | { action: 'use'; path: string }
  | { action: 'install'; aptGet: string }
  | { action: 'stop'; message: string };

const WHY = 'Chromium is missing: the dashboard and web widget tests drive it.';

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first executable called `name` in the PATH's folders, as a shell would find it. */
export function findOnPath(name: string, PATH: string | undefined): string | null {
  for (const dir of (PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

/** What to do about the browser on this machine; looks at the file system, changes nothing. */
export function planChromium(env: ChromiumEnvironment): ChromiumPlan {
  if (env.CHROMIUM_PATH) {
    if (isExecutableFile(env.CHROMIUM_PATH)) return { action: 'use', path: env.CHROMIUM_PATH };
    return { action: 'stop', message: `CHROMIUM_PATH is ${env.CHROMIUM_PATH}, which is not an executable file. Point it at a Chromium binary, or unset it to use Debian's chromium.` };
  }
  const found = findOnPath('chromium', env.PATH);
  if (found) return { action: 'use', path: found };
  const aptGet = findOnPath('apt-get', env.PATH);
  if (aptGet && env.uid === 0) return { action: 'install', aptGet };
  if (aptGet) return { action: 'stop', message: `${WHY} Install it, then run the tests again:\n\n    sudo apt-get install -y chromium\n` };
  return {
    action: 'stop',
    message: `${WHY} Install Chromium with your system's package manager and name its binary:\n\n    CHROMIUM_PATH=/path/to/chromium npm test\n`,
  };
}

/** Runs one command, its output kept for the message if it fails. */
export type CommandRunner = (command: string, args: string[]) => { ok: boolean; output: string };

const runCommand: CommandRunner = (command, args) => {
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, maxBuffer: 64 << 20 });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
};

/**
 * The browser's path, installing it first when the plan says so (`apt-get install`, and when that
 * fails, as it does on a machine whose package lists were never fetched, `apt-get update` and
 * again). Throws with the message to show when the tests cannot have it.
 */
export function ensureChromium(env: ChromiumEnvironment, log: (line: string) => void = (line) => console.error(line), run: CommandRunner = runCommand): string {
  const plan = planChromium(env);
  if (plan.action === 'use') return plan.path;
  if (plan.action === 'stop') throw new Error(plan.message);
  log(`${WHY} Installing it (apt-get install -y chromium, once; about a minute)…`);
  const install = ['install', '-y', '-q', 'chromium'];
  let attempt = run(plan.aptGet, install);
  if (!attempt.ok) {
    log('apt-get could not install it from the package lists it has: running apt-get update, then again…');
    const update = run(plan.aptGet, ['update', '-q']);
    attempt = update.ok ? run(plan.aptGet, install) : update;
  }
  const after = planChromium(env);
  if (after.action === 'use') {
    log(`Chromium installed: ${after.path}`);
    return after.path;
  }
  const tail = attempt.output.trim().split('\n').slice(-15).join('\n');
  throw new Error(`${WHY} apt-get could not install it:\n\n${tail}\n\nInstall it, then run the tests again:\n\n    apt-get update && apt-get install -y chromium\n`);
}

/** The current process's environment, as planChromium reads it. */
export function processChromiumEnvironment(): ChromiumEnvironment {
  return { CHROMIUM_PATH: process.env.CHROMIUM_PATH, PATH: process.env.PATH, uid: process.getuid?.() ?? -1 };
}
