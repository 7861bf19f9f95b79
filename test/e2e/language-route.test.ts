import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
before(async () => {
  stack = await startTestStack({ runWorker: false });
});
after(async () => {
  await stack?.stop();
});

const detect = (body: unknown) => stack.api.post('/api/language/detect', body);

test('POST /api/language/detect answers language, confidence and detector', async () => {
  const { status, body } = await detect({ text: 'Vreau sa vorbesc cu un om' });
  assert.equal(status, 200);
  assert.equal(body.language, 'ro');
  assert.ok(body.confidence > 0 && body.confidence <= 1);
  assert.equal(body.detector, 'local');
  assert.deepEqual(Object.keys(body).sort(), ['confidence', 'detector', 'language']);
  assert.equal((await detect({ text: 'I would like to know when my parcel arrives' })).body.language, 'en');
});

test('previous is the conversation language the policy keeps for ambiguous messages', async () => {
  assert.equal((await detect({ text: 'ok merci', previous: 'fr' })).body.language, 'fr');
  assert.equal((await detect({ text: 'ok merci', previous: 'FR' })).body.language, 'fr');
  assert.equal((await detect({ text: 'ok merci' })).body.language, 'ro');
  assert.equal((await detect({ text: 'да', previous: 'ro' })).body.language, 'ru', 'a Cyrillic message is never forced to Romanian');
});

test('bad input is a 400 validation error naming the field', async () => {
  for (const [body, field] of [
    [{}, 'text'],
    [{ text: '' }, 'text'],
    [{ text: 42 }, 'text'],
    [{ text: 'x'.repeat(4097) }, 'text'],
    [{ text: 'hello', previous: 'rom' }, 'previous'],
    [{ text: 'hello', previous: 7 }, 'previous'],
  ] as const) {
    const { status, body: answer } = await detect(body);
    assert.equal(status, 400, JSON.stringify(body).slice(0, 60));
    assert.equal(answer.error.code, 'validation_failed');
    assert.match(answer.error.message, new RegExp(`^${field}:`));
  }
  assert.equal((await detect({ text: 'x'.repeat(4096) })).status, 200);
  assert.equal((await stack.api.withKey('').post('/api/language/detect', { text: 'hi' })).status, 401);
});
