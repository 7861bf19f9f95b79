import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { retryOnOverlimit } from '../../activities/whatsapp/baileys/overlimit.js';
import { SendPacer } from '../../activities/whatsapp/baileys/pacing.js';

describe('send pacing', () => {
  test('messages to one chat are spaced by the interval plus jitter, other chats are not held back', () => {
    let now = 1_000_000;
    const pacer = new SendPacer({ perChatIntervalMs: 1000, jitterMs: 400, newChatsPerMinute: 20 }, () => 0.5, () => now);
    const a1 = pacer.reserve('a', false);
    const a2 = pacer.reserve('a', false);
    const a3 = pacer.reserve('a', false);
    const b1 = pacer.reserve('b', false);
    assert.equal(a1, now);
    assert.equal(a2 - a1, 1200);
    assert.equal(a3 - a2, 1200);
    assert.equal(b1, now);
    now += 10_000;
    assert.equal(pacer.reserve('a', false), now, 'an idle chat sends at once');
  });

  test('new chats are limited per minute across the number', () => {
    const now = 5_000_000;
    const pacer = new SendPacer({ perChatIntervalMs: 1000, jitterMs: 0, newChatsPerMinute: 3 }, () => 0, () => now);
    const slots = ['n1', 'n2', 'n3', 'n4', 'n5'].map((chat) => pacer.reserve(chat, true));
    assert.deepEqual(slots.slice(0, 3), [now, now, now]);
    assert.equal(slots[3], now + 60_000);
    assert.equal(slots[4], now + 60_000);
    // Known chats are not counted against the new-chat budget.
    assert.equal(pacer.reserve('known', false), now);
  });

  test('wait() really waits for the slot', async () => {
    const pacer = new SendPacer({ perChatIntervalMs: 150, jitterMs: 50, newChatsPerMinute: 20 });
    const started = Date.now();
    for (let i = 0; i < 4; i++) await pacer.wait('chat', false);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 450, `three intervals of >= 150 ms, took ${elapsed} ms`);
    assert.ok(elapsed < 1000, `at most 3 x 200 ms plus timer slack, took ${elapsed} ms`);
  });
});

describe('rate-overlimit', () => {
  test('backs off and retries until the send goes through, never drops it', async () => {
    let calls = 0;
    const backoffs: number[] = [];
    const result = await retryOnOverlimit(
      async () => {
        calls++;
        if (calls < 4) throw Object.assign(new Error('rate-overlimit'), { data: 429 });
        return 'sent';
      },
      { initialMs: 20, maxMs: 100, budgetMs: 5000, onBackoff: (d) => backoffs.push(d) },
    );
    assert.equal(result, 'sent');
    assert.equal(calls, 4);
    assert.equal(backoffs.length, 3);
    assert.ok(backoffs[2]! > backoffs[0]!, `backoff grows: ${backoffs.join(', ')}`);
  });

  test('other errors are not retried', async () => {
    let calls = 0;
    await assert.rejects(
      retryOnOverlimit(async () => {
        calls++;
        throw new Error('not-authorized');
      }, { initialMs: 10, maxMs: 10, budgetMs: 1000 }),
      /not-authorized/,
    );
    assert.equal(calls, 1);
  });

  test('past its budget it fails (retryably, upstream) instead of sending late in this call', async () => {
    await assert.rejects(
      retryOnOverlimit(async () => {
        throw Object.assign(new Error('x'), { output: { statusCode: 429 } });
      }, { initialMs: 50, maxMs: 50, budgetMs: 120 }),
      { name: 'RateLimitedTooLong' },
    );
  });
});
