import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { CONVERSATION_WORKFLOW_TYPE } from '../../workflows/conversation/ids.js';
import { PATCHES } from '../../workflows/conversation/steps.js';
import { EXTRA_PHRASE } from './support/cues-with-an-extra-phrase.js';
import { KeyRing } from '../../config/key-ring.js';
import { EncryptionCodec, encryptingDataConverter } from '../../config/payload-codec.js';
import { TEST_ENCRYPTION_KEY } from '../support/stack.js';

// Histories are recorded by test stacks, encrypted with their key (older ones in clear).
const keys = KeyRing.parse(TEST_ENCRYPTION_KEY);
const codec = new EncryptionCodec(keys);

/**
 * The guard of safe deploys: a conversation's decisions must not depend on data compiled into the
 * workflow code (cue lists, phone metadata, time zones). Here a later release learns one more
 * handoff phrase, one that a customer of the recorded histories wrote as an ordinary question.
 * Histories recorded since messages are read by the activity (they hold its patch marker) replay
 * unchanged; older ones, which read messages in workflow code, break, which is why the rule exists.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, 'histories');
const workflows = path.join(here, '../../workflows');
const replacement = path.join(here, 'support/cues-with-an-extra-phrase.ts');

type History = ReturnType<typeof historyFromJSON>;
type HistoryEvent = NonNullable<History['events']>[number];

/** The patches a marker event records (Temporal's `core_patch` markers carry the patch id). */
function patchIds(event: HistoryEvent): string[] {
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName !== 'core_patch') return [];
  return Object.values(marker.details ?? {}).flatMap((payloads) => (payloads.payloads ?? []).map((p) => Buffer.from(codec.decodeOne(p).data ?? []).toString()));
}

async function conversationHistories(): Promise<{ workflowId: string; history: History; guarded: boolean; saysPhrase: boolean }[]> {
  const found = [];
  for (const release of await readdir(root)) {
    for (const file of (await readdir(path.join(root, release))).filter((f) => /\.conversationWorkflow(V2)?\./.test(f))) {
      const text = await readFile(path.join(root, release, file), 'utf8');
      const history = historyFromJSON(JSON.parse(text));
      // conversationWorkflowV2 has every patch without a marker.
      const v2 = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name === CONVERSATION_WORKFLOW_TYPE;
      const guarded = v2 || (history.events ?? []).some((e) => patchIds(e).some((id) => id.includes(PATCHES.readingRecorded)));
      const saysPhrase = (history.events ?? []).some((e) => {
        const payload = e.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0];
        return payload ? Buffer.from(codec.decodeOne(payload).data ?? []).toString().toLowerCase().includes(EXTRA_PHRASE) : false;
      });
      found.push({ workflowId: `${release}/${file}`, history, guarded, saysPhrase });
    }
  }
  return found;
}

async function replay(code: string, histories: { workflowId: string; history: History }[]): Promise<Map<string, string | null>> {
  const results = new Map<string, string | null>();
  for await (const result of Worker.runReplayHistories({ workflowBundle: { code }, replayName: 'reading-guard', dataConverter: encryptingDataConverter(keys) }, histories)) {
    results.set(result.workflowId, result.error ? result.error.message : null);
  }
  return results;
}

test('a handoff phrase added in a later release leaves recorded conversations replayable', async () => {
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(workflows, 'index.ts'),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
    // The later release: the handoff module reads this cue list instead of today's.
    webpackConfigHook: (config) => {
      config.plugins = [
        ...(config.plugins ?? []),
        {
          apply(compiler) {
            compiler.hooks.normalModuleFactory.tap('later-release-cues', (factory) => {
              factory.hooks.beforeResolve.tap('later-release-cues', (data) => {
                if (data.request === './cues-europe.js' && path.resolve(data.context) === path.join(workflows, 'handoff')) data.request = replacement;
              });
            });
          },
        },
      ];
      return config;
    },
  });
  assert.ok(code.includes(EXTRA_PHRASE), 'the bundle carries the later release\'s cues');

  const histories = await conversationHistories();
  const guarded = histories.filter((h) => h.guarded && h.saysPhrase);
  const unguarded = histories.filter((h) => !h.guarded && h.saysPhrase);
  assert.ok(guarded.length > 0, 'recorded histories read by the activity, with a customer asking "Cat costa livrarea?"');
  assert.ok(unguarded.length > 0, 'older recorded histories with the same question');
  const results = await replay(code, [...guarded, ...unguarded].map(({ workflowId, history }) => ({ workflowId, history })));
  for (const { workflowId } of guarded) assert.equal(results.get(workflowId), null, `${workflowId} replays on the later release`);
  // The control: read in workflow code, the same question now reads as a request for a person.
  const broken = unguarded.filter(({ workflowId }) => /nondetermin/i.test(results.get(workflowId) ?? ''));
  assert.ok(broken.length > 0, `older histories break on the later release: ${[...results].map(([id, e]) => `${id}: ${e ?? 'replayed'}`).join('; ')}`);
});
