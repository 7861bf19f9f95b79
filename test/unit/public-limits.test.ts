import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientAddressResolver } from '../../api/middleware/client-address.js';
import { RateLimiter } from '../../api/public/rate-limiter.js';
import { loadConfig } from '../../config/index.js';

test('the rate limiter allows the limit in any window, across a window edge too, and says when to come back', () => {
  const limiter = new RateLimiter(10, 60_000);
  const t0 = 1_000_000 * 60_000;
  for (let i = 0; i < 10; i++) assert.equal(limiter.take('a', t0 + 50_000), null);
  const wait = limiter.take('a', t0 + 50_000);
  assert.ok(wait !== null && wait >= 1, 'the 11th in the window is refused');
  assert.equal(limiter.take('b', t0 + 50_000), null, 'another key has its own count');
  // Just past the window's edge the ten calls of a moment ago still count.
  assert.notEqual(limiter.take('a', t0 + 61_000), null);
  // As the last window slides out of view, room comes back.
  assert.equal(limiter.take('a', t0 + 60_000 + 55_000), null);
  assert.equal(limiter.take('a', t0 + 60_000 * 3), null, 'and after a quiet window the count starts afresh');
});

test("the rate limiter's memory is bounded: a flood of distinct keys keeps at most its cap per window, with no sweep", () => {
  const limiter = new RateLimiter(5, 60_000, 20_000);
  const now = 7 * 60_000;
  for (let i = 0; i < 60_000; i++) limiter.take(`ip:${i}`, now + (i % 1000));
  assert.ok(limiter.size <= 20_000, `${limiter.size} keys kept`);
  // The keys of this window become the last window's at the edge; older ones go whole.
  for (let i = 0; i < 100; i++) limiter.take(`ip:new${i}`, now + 60_000);
  assert.ok(limiter.size <= 20_100, `${limiter.size} keys kept after the edge`);
  limiter.take('x', now + 3 * 60_000);
  assert.equal(limiter.size, 1, 'two windows later only the newest key is left');
});

test('X-Forwarded-For is ignored unless a proxy is trusted, and then read from the right', () => {
  const off = clientAddressResolver(loadConfig({}).CATY_TRUST_PROXY);
  assert.equal(off('203.0.113.9', '198.51.100.1'), '203.0.113.9', 'off by default: the peer, whatever the header says');
  assert.equal(off('::ffff:203.0.113.9', undefined), '203.0.113.9');

  const oneHop = clientAddressResolver(loadConfig({ CATY_TRUST_PROXY: '1' }).CATY_TRUST_PROXY);
  // The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
  assert.equal(oneHop('10.0.0.2', '1.2.3.4, 198.51.100.7'), '198.51.100.7');
  assert.equal(oneHop('10.0.0.2', '198.51.100.7'), '198.51.100.7');
  assert.equal(oneHop('10.0.0.2', undefined), '10.0.0.2');
  const twoHops = clientAddressResolver(loadConfig({ CATY_TRUST_PROXY: '2' }).CATY_TRUST_PROXY);
  assert.equal(twoHops('10.0.0.2', '1.2.3.4, 198.51.100.7, 10.0.0.9'), '198.51.100.7');

  const listed = clientAddressResolver(loadConfig({ CATY_TRUST_PROXY: '10.0.0.0/8, 192.0.2.1' }).CATY_TRUST_PROXY);
  assert.equal(listed('10.1.2.3', '1.2.3.4, 198.51.100.7'), '198.51.100.7');
  assert.equal(listed('192.0.2.1', '1.2.3.4, 198.51.100.7, 10.9.9.9'), '198.51.100.7', 'through two trusted proxies');
  assert.equal(listed('203.0.113.9', '198.51.100.7'), '203.0.113.9', 'a peer that is not a trusted proxy is the client');
  assert.equal(listed('10.1.2.3', 'garbage, 198.51.100.7'), '198.51.100.7');
  assert.equal(listed('10.1.2.3', '10.2.2.2'), '10.2.2.2', 'only proxies in front: the leftmost is the client');

  assert.throws(() => loadConfig({ CATY_TRUST_PROXY: 'proxy.internal' }), /CATY_TRUST_PROXY: "proxy.internal" is not a hop count/);
  assert.throws(() => loadConfig({ CATY_TRUST_PROXY: '10.0.0.0/33' }), /CATY_TRUST_PROXY/);
  assert.equal(loadConfig({ CATY_TRUST_PROXY: '0' }).CATY_TRUST_PROXY, false);
});
