import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../../worker/workflow-bundle.js';
import { KeyRing } from '../../config/key-ring.js';
import { encryptingDataConverter } from '../../config/payload-codec.js';
import { TEST_ENCRYPTION_KEY } from '../support/stack.js';

/**
 * Safe deploys: every history recorded from an earlier version of the workflows (see
 * record-histories.ts) must replay on today's code without a nondeterminism error, or running
 * conversations would fail when this code is deployed.
 */
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), 'histories');

async function recordedHistories(): Promise<{ file: string; workflowId: string; history: ReturnType<typeof historyFromJSON> }[]> {
  const found = [];
  for (const version of await readdir(root)) {
    for (const file of (await readdir(path.join(root, version))).filter((f) => f.endsWith('.json'))) {
      const json = JSON.parse(await readFile(path.join(root, version, file), 'utf8'));
      found.push({ file: `${version}/${file}`, workflowId: file, history: historyFromJSON(json) });
    }
  }
  return found;
}

test('histories recorded from earlier versions replay on the current workflow code', async () => {
  const histories = await recordedHistories();
  assert.ok(histories.length >= 10, `recorded histories found: ${histories.length}`);
  const bundle = await workflowBundle();
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories(
    // Through the codec, as workers run: recorded histories are encrypted with the test stacks' key (older ones are in clear).
    { workflowBundle: { code: bundle.code }, replayName: 'safe-deploys', dataConverter: encryptingDataConverter(KeyRing.parse(TEST_ENCRYPTION_KEY)) },
    histories,
  )) {
    replayed++;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  assert.equal(replayed, histories.length);
  assert.deepEqual(failures, []);
});
