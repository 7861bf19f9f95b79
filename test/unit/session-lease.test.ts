import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LEASE_SAFETY_MARGIN, leaseHeldUntil, mustReleaseSocket } from '../../activities/whatsapp/baileys/lease.js';

const TTL = 20_000;

test('a lease counts from when its request left, and the socket goes a safety margin before it could lapse', () => {
  const sentAt = 1_000_000;
  const heldUntil = leaseHeldUntil(sentAt, TTL);
  assert.equal(heldUntil, sentAt + TTL);
  assert.equal(mustReleaseSocket(sentAt + 1000, heldUntil, TTL), false);
  const releaseAt = heldUntil - TTL * LEASE_SAFETY_MARGIN;
  assert.equal(mustReleaseSocket(releaseAt - 1, heldUntil, TTL), false);
  assert.equal(mustReleaseSocket(releaseAt, heldUntil, TTL), true, 'before another gateway could take the lease');
  assert.ok(releaseAt < heldUntil);
});

test('renewals that hang or fail never extend it: only a confirmed renewal moves the deadline', () => {
  let heldUntil = leaseHeldUntil(0, TTL);
  // Renewals every third of the lease: confirmed ones keep the socket.
  for (const confirmedAt of [6000, 12000, 18000]) {
    assert.equal(mustReleaseSocket(confirmedAt, heldUntil, TTL), false);
    heldUntil = leaseHeldUntil(confirmedAt, TTL);
  }
  // Then the database stops answering: nothing is confirmed, and the socket goes in time.
  const lastConfirmed = 18000;
  assert.equal(mustReleaseSocket(lastConfirmed + TTL * (1 - LEASE_SAFETY_MARGIN), heldUntil, TTL), true);
});
