import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ensureChromium, findOnPath, planChromium } from '../support/chromium.js';
import { resolveTemporalCli } from '../../worker/infra/temporal-dev-server.js';

// What a newcomer's first `npm test` does about the browser and the Temporal CLI, on folders made
// here: a PATH without chromium, one with apt-get, one with both.
let dir: string;
let bare: string;
let withApt: string;
let withChromium: string;

async function executable(file: string, body = '#!/bin/sh\nexit 0\n'): Promise<string> {
  await writeFile(file, body);
  await chmod(file, 0o755);
  return file;
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'caty-first-run-'));
  [bare, withApt, withChromium] = await Promise.all(['bare', 'apt', 'chromium'].map(async (name) => {
    const folder = path.join(dir, name);
    await mkdir(folder);
    return folder;
  })) as [string, string, string];
  await executable(path.join(withApt, 'apt-get'));
  await executable(path.join(withChromium, 'chromium'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('chromium on the PATH is used; CHROMIUM_PATH names another binary, and a wrong one is named', async () => {
  assert.deepEqual(planChromium({ PATH: `${bare}:${withChromium}`, uid: 1000 }), { action: 'use', path: path.join(withChromium, 'chromium') });
  const other = await executable(path.join(bare, 'my-chrome'));
  assert.deepEqual(planChromium({ CHROMIUM_PATH: other, PATH: bare, uid: 1000 }), { action: 'use', path: other });
  const wrong = planChromium({ CHROMIUM_PATH: path.join(bare, 'missing'), PATH: withChromium, uid: 0 });
  assert.equal(wrong.action, 'stop');
  assert.match(wrong.action === 'stop' ? wrong.message : '', /CHROMIUM_PATH is .*missing, which is not an executable/);
  // A file that is not executable is not a browser.
  await writeFile(path.join(bare, 'chromium'), 'not a program');
  assert.notEqual(planChromium({ PATH: bare, uid: 1000 }).action, 'use');
  await rm(path.join(bare, 'chromium'));
});

test('missing, as a user who is not root: stop at once with the one command to run', () => {
  const plan = planChromium({ PATH: `${bare}:${withApt}`, uid: 1000 });
  assert.equal(plan.action, 'stop');
  assert.match(plan.action === 'stop' ? plan.message : '', /^Chromium is missing.*\n\n {4}sudo apt-get install -y chromium\n$/s);
  // ensureChromium stops without running anything.
  const ran: string[] = [];
  assert.throws(() => ensureChromium({ PATH: withApt, uid: 1000 }, () => undefined, (command, args) => (ran.push(`${command} ${args.join(' ')}`), { ok: true, output: '' })), /sudo apt-get install -y chromium/);
  assert.deepEqual(ran, []);
  // Without apt-get there is no Debian command to give: name the binary instead.
  const elsewhere = planChromium({ PATH: bare, uid: 0 });
  assert.match(elsewhere.action === 'stop' ? elsewhere.message : '', /CHROMIUM_PATH=\/path\/to\/chromium npm test/);
});

test('missing, as root with apt-get: installed, and after an apt-get update when the first try fails', async () => {
  assert.deepEqual(planChromium({ PATH: withApt, uid: 0 }), { action: 'install', aptGet: path.join(withApt, 'apt-get') });
  // An apt-get that behaves like a fresh Debian image's: no package lists until `update`, then the
  // install puts chromium on the PATH.
  const installDir = path.join(dir, 'installed');
  await mkdir(installDir);
  const calls = path.join(dir, 'apt-calls');
  const lists = path.join(dir, 'apt-lists');
  const aptDir = path.join(dir, 'fresh-apt');
  await mkdir(aptDir);
  await executable(path.join(aptDir, 'apt-get'), `#!/bin/sh
echo "$*" >> ${calls}
case "$1" in
  update) touch ${lists} ;;
  install) [ -f ${lists} ] || { echo "E: Unable to locate package chromium" >&2; exit 100; }
           printf '#!/bin/sh\\n' > ${installDir}/chromium; chmod +x ${installDir}/chromium ;;
esac
`);
  const said: string[] = [];
  const found = ensureChromium({ PATH: `${aptDir}:${installDir}`, uid: 0 }, (line) => said.push(line));
  assert.equal(found, path.join(installDir, 'chromium'));
  assert.deepEqual((await readFile(calls, 'utf8')).trim().split('\n'), ['install -y -q chromium', 'update -q', 'install -y -q chromium']);
  assert.match(said[0]!, /Chromium is missing.*Installing it/);
  assert.match(said.at(-1)!, /Chromium installed/);
});

test('root, but apt-get cannot install it: the error shows what apt-get said and the command', async () => {
  const aptDir = path.join(dir, 'broken-apt');
  await mkdir(aptDir);
  await executable(path.join(aptDir, 'apt-get'), '#!/bin/sh\necho "E: Could not resolve deb.example" >&2\nexit 100\n');
  assert.throws(() => ensureChromium({ PATH: aptDir, uid: 0 }, () => undefined), /E: Could not resolve deb\.example[\s\S]*apt-get update && apt-get install -y chromium/);
});

test('the first Temporal CLI build says what is happening and that it happens once; a failed one says why', async () => {
  // An empty cache and a PATH with only what the script needs before it looks for Go: the build
  // starts, and fails at once.
  const tools = path.join(dir, 'tools');
  await mkdir(tools);
  for (const tool of ['bash', 'sh', 'dirname']) await symlink(findOnPath(tool, process.env.PATH)!, path.join(tools, tool));
  const saved = { PATH: process.env.PATH, CATY_CACHE_DIR: process.env.CATY_CACHE_DIR };
  process.env.CATY_CACHE_DIR = path.join(dir, 'empty-cache');
  process.env.PATH = tools;
  const notices: string[] = [];
  try {
    await assert.rejects(resolveTemporalCli(undefined, () => undefined, (line) => notices.push(line)), /could not build the Temporal CLI[\s\S]*Go is not installed/);
  } finally {
    Object.assign(process.env, saved);
    if (saved.CATY_CACHE_DIR === undefined) delete process.env.CATY_CACHE_DIR;
  }
  assert.equal(notices.length, 1);
  assert.match(notices[0]!, /Building the Temporal dev server.*this happens once, on the first run, and takes about 3 minutes/);
});
