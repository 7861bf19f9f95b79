import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InboundBatcher } from '../../activities/whatsapp/inbound-batcher.js';
import type { InboundSignal } from '../../workflows/conversation/signals.js';

const message = (id: string): InboundSignal => ({ id, text: id, fromMe: false, at: '2026-11-25T10:00:00Z' });

test('one signal in flight per conversation; what arrives meanwhile goes in the next, in order', async () => {
  const batcher = new InboundBatcher(3);
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
  const batcher = new InboundBatcher();
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
