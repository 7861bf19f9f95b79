import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InboundBatcher } from '../../inbound/batcher.js';
import type { InboundSignal } from '../../workflows/conversation/signals.js';

const message = (id: string): InboundSignal => ({ id, text: id, fromMe: false, at: '2026-11-25T10:00:00Z' });

test('one signal in flight per conversation; what arrives meanwhile goes in the next, in order', async () => {
  const batcher = new InboundBatcher({ maxBatch: 3, spacingMs: 0 });
  const sent: string[][] = [];
  let release!: () => void;
  const first = new Promise<void>((r) => (release = r));
  const send = async (messages: InboundSignal[]) => {
    sent.push(messages.map((m) => m.id));
    if (sent.length === 1) await first;
  };
  const done = ['a', 'b', 'c', 'd', 'e'].map((id) => batcher.deliver('conv-1', message(id), send));
  const other = batcher.deliver('conv-2', message('x'), send);
  await other;
  release();
  await Promise.all(done);
  assert.deepEqual(sent, [['a'], ['x'], ['b', 'c', 'd'], ['e']]);
});

test("a failed signal rejects only its own messages' callers, and the next batch still goes", async () => {
  const batcher = new InboundBatcher({ spacingMs: 0 });
  let calls = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const send = async (messages: InboundSignal[]) => {
    calls++;
    if (calls === 1) {
      await gate;
      throw new Error('Temporal unavailable');
    }
    assert.deepEqual(messages.map((m) => m.id), ['b']);
  };
  const a = batcher.deliver('c', message('a'), send);
  const b = batcher.deliver('c', message('b'), send);
  release();
  await assert.rejects(a, /Temporal unavailable/);
  await b;
  assert.equal(calls, 2);
});

test('signals to one chat are spaced: what arrives within the spacing waits and goes in one signal', async () => {
  const batcher = new InboundBatcher({ spacingMs: 150 });
  const sent: { ids: string[]; at: number }[] = [];
  const send = async (messages: InboundSignal[]) => {
    sent.push({ ids: messages.map((m) => m.id), at: Date.now() });
  };
  const start = Date.now();
  await batcher.deliver('conv-1', message('a'), send);
  assert.ok(Date.now() - start < 100, 'the first message of a quiet chat goes at once');
  const later = ['b', 'c', 'd'].map((id) => batcher.deliver('conv-1', message(id), send));
  await Promise.all(later);
  assert.deepEqual(sent.map((s) => s.ids), [['a'], ['b', 'c', 'd']]);
  assert.ok(sent[1]!.at - sent[0]!.at >= 140, `spaced by ${sent[1]!.at - sent[0]!.at} ms`);
});
