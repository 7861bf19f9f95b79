import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyRing } from '../../config/key-ring.js';
import { VISITOR_TOKEN_TTL_MS, VisitorTokens } from '../../api/public/visitor-token.js';

const oldKey = KeyRing.generate();
const newKey = KeyRing.generate();

test("a visitor's token opens its own session on its own widget, and nothing else", () => {
  const tokens = new VisitorTokens(KeyRing.parse(newKey));
  const { sessionId, token } = tokens.issue('wgt_a');
  assert.equal(tokens.verify('wgt_a', token), sessionId);
  assert.equal(tokens.verify('wgt_b', token), null, "another widget's");
  const [id, expires, signature] = token.split('.') as [string, string, string];
  assert.equal(tokens.verify('wgt_a', `${id}.${Number(expires) + 86_400}.${signature}`), null, 'a later expiry written in');
  assert.equal(tokens.verify('wgt_a', `${id}.${expires}.${'A'.repeat(43)}`), null, 'a forged signature');
  assert.equal(new VisitorTokens(KeyRing.parse(oldKey)).verify('wgt_a', token), null, 'signed with another key');
});

test('a token expires after 30 days: the widget then starts a new conversation', () => {
  const tokens = new VisitorTokens(KeyRing.parse(newKey));
  const now = Date.parse('2026-01-01T00:00:00Z');
  const { sessionId, token, expiresAt } = tokens.issue('wgt_a', now);
  assert.equal(expiresAt.getTime(), now + VISITOR_TOKEN_TTL_MS);
  assert.equal(tokens.verify('wgt_a', token, now + VISITOR_TOKEN_TTL_MS - 60_000), sessionId);
  assert.equal(tokens.verify('wgt_a', token, now + VISITOR_TOKEN_TTL_MS + 1000), null);
});

test('its key is rotated without logging visitors out: tokens signed with the old key verify while it is listed second', () => {
  const before = new VisitorTokens(KeyRing.parse(oldKey)).issue('wgt_a');
  const rotating = new VisitorTokens(KeyRing.parse(`${newKey},${oldKey}`));
  assert.equal(rotating.verify('wgt_a', before.token), before.sessionId);
  const after = rotating.issue('wgt_a');
  assert.equal(new VisitorTokens(KeyRing.parse(newKey)).verify('wgt_a', after.token), after.sessionId, 'new tokens are signed with the new key');
  assert.equal(new VisitorTokens(KeyRing.parse(newKey)).verify('wgt_a', before.token), null, 'once the old key is dropped, so are its tokens');
});
