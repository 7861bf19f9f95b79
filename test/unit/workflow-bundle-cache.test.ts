import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { pruneBundles } from '../../worker/workflow-bundle.js';

const DAY = 24 * 60 * 60_000;

test('bundles unused for longer than kept are deleted; recent ones and one being written stay', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'caty-bundles-'));
  try {
    const now = Date.now();
    const files: Record<string, number> = {
      'old.json': now - 20 * DAY,
      'recent.json': now - 2 * DAY,
      'old.json.4242.tmp': now - 20 * DAY,
    };
    for (const [name, at] of Object.entries(files)) {
      const file = path.join(dir, name);
      await writeFile(file, '{}');
      await utimes(file, new Date(at), new Date(at));
    }
    assert.deepEqual(await pruneBundles(dir, 14 * DAY, now), ['old.json']);
    assert.deepEqual((await readdir(dir)).sort(), ['old.json.4242.tmp', 'recent.json']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
