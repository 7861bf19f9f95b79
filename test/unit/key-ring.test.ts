import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyRing } from '../../config/key-ring.js';

const first = KeyRing.generate();
const second = KeyRing.generate();

test('sealed data opens with the ring that sealed it, for the same context only, and any change is refused', () => {
  const ring = KeyRing.parse(first);
  const sealed = ring.seal(Buffer.from('secret creds'), 'row 1');
  assert.ok(!sealed.includes(Buffer.from('secret')), 'nothing of the plaintext shows');
  assert.equal(ring.open(sealed, 'row 1').toString(), 'secret creds');
  assert.notDeepEqual(ring.seal(Buffer.from('secret creds'), 'row 1'), sealed, 'a fresh nonce each time');
  assert.throws(() => ring.open(sealed, 'row 2'), 'another context');
  const altered = Buffer.from(sealed);
  altered[altered.length - 20]! ^= 1;
  assert.throws(() => ring.open(altered, 'row 1'), 'altered ciphertext');
  assert.throws(() => KeyRing.parse(second).open(sealed, 'row 1'), /not among the configured keys/);
  assert.equal(ring.openText(ring.sealText('é ✓', 'ctx'), 'ctx'), 'é ✓');
  assert.ok(ring.sealText('x', 'ctx').startsWith(ring.currentTextPrefix));
});

test('rotation: the first key seals, every key opens and verifies', () => {
  const old = KeyRing.parse(first);
  const rotating = KeyRing.parse(`${second}, ${first}`);
  const sealedOld = old.sealText('kept', 'c');
  assert.equal(rotating.openText(sealedOld, 'c'), 'kept');
  const sealedNew = rotating.sealText('kept', 'c');
  assert.ok(sealedNew.startsWith(KeyRing.parse(second).currentTextPrefix), 'sealed with the new key');
  assert.ok(!sealedOld.startsWith(rotating.currentTextPrefix), 'what the old key sealed is due to be sealed again');
  assert.throws(() => old.openText(sealedNew, 'c'));
  assert.ok(rotating.verify('data', old.sign('data')));
  assert.ok(!old.verify('data', rotating.sign('data')));
  assert.ok(!rotating.verify('other data', old.sign('data')));
});

test('keys are 32 bytes in base64 or hex; anything else is refused with a reason', () => {
  assert.doesNotThrow(() => KeyRing.parse('ab'.repeat(32)));
  assert.doesNotThrow(() => KeyRing.parse(Buffer.alloc(32, 3).toString('base64url')));
  assert.throws(() => KeyRing.parse(''), /no key/);
  assert.throws(() => KeyRing.parse('too-short'), /key 1 is not 32 bytes/);
  assert.throws(() => KeyRing.parse(`${first},${Buffer.alloc(16).toString('base64')}`), /key 2 is not 32 bytes/);
  assert.throws(() => KeyRing.parse(`${first},${first}`), /listed twice/);
});
