import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { initAuthCreds } from '@whiskeysockets/baileys';
import { sql } from 'kysely';
import { whatsappSessionWorkflowId } from '../../workflows/whatsapp-session/definitions.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { FakeWhatsApp, type FakeSocket } from './support/fake-whatsapp.js';
import { fastGatewayEnv } from './support/env.js';

const whatsapp = new FakeWhatsApp();
let stack: TestStack;
before(async () => {
  stack = await startTestStack({ gateway: { socketFactory: whatsapp.factory, identity: 'gateway-A' }, env: fastGatewayEnv });
});
after(async () => {
  await stack?.stop();
});


async function newChannel(): Promise<{ id: string; socket: () => FakeSocket; sockets: () => FakeSocket[] }> {
  const created = await stack.api.post('/api/whatsapp/channels', { provider: 'baileys', name: 'Magazin' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id: string = created.body.id;
  await eventually(async () => whatsapp.of(id).length > 0, 10_000, 'the session to open a socket');
  const mine = () => whatsapp.of(id);
  return { id, sockets: mine, socket: () => mine().at(-1)! };
}

async function nextSocket(channel: { id: string; sockets: () => FakeSocket[] }, count: number): Promise<FakeSocket> {
  await eventually(async () => channel.sockets().length >= count, 10_000, `socket #${count} of ${channel.id}`);
  return channel.sockets()[count - 1]!;
}

async function status(id: string) {
  return (await stack.api.get(`/api/whatsapp/channels/${id}/status`)).body;
}

async function statusEvents(id: string): Promise<string[]> {
  const rows = await stack.db.selectFrom('channel_events').select('data').where('channel_id', '=', id).orderBy('at').execute();
  return rows.map((r) => `${(r.data as { previous_status: string }).previous_status}->${(r.data as { status: string }).status}`);
}

describe('pairing a number by QR', () => {
  test('QR, scan, restart, connected: the API shows each step and records every status change', async () => {
    const channel = await newChannel();
    const first = channel.socket();
    first.qr('2@first-qr-ref,noise,identity,adv');
    await eventually(async () => (await status(channel.id)).qr === '2@first-qr-ref,noise,identity,adv', 5000, 'the first QR');
    assert.equal((await status(channel.id)).status, 'qr');
    const svg = await stack.api.get(`/api/whatsapp/channels/${channel.id}/qr.svg`);
    assert.equal(svg.status, 200);
    assert.match(String(svg.body), /<svg/);

    // WhatsApp rotates the code every ~20 s.
    first.qr('2@second-qr-ref,noise,identity,adv');
    await eventually(async () => (await status(channel.id)).qr === '2@second-qr-ref,noise,identity,adv', 5000, 'the rotated QR');

    // The phone scans: Baileys stores the new identity, then WhatsApp asks for a restart.
    first.creds({ registered: true, me: { id: '40711222333:7@s.whatsapp.net', name: 'Magazin' } });
    first.close(515, 'Stream Errored (restart required)');
    const second = await nextSocket(channel, 2);
    assert.equal(second.config.auth.creds.me?.id, '40711222333:7@s.whatsapp.net', 'the new socket resumes with the stored identity');
    second.open('40711222333');
    const connected = await eventually(async () => {
      const s = await status(channel.id);
      return s.status === 'connected' && s;
    }, 5000, 'connected');
    assert.equal(connected.phone, '+40711222333');
    assert.equal(connected.qr, undefined);
    assert.equal((await stack.api.get(`/api/whatsapp/channels/${channel.id}/qr.svg`)).status, 409);
    assert.deepEqual(await statusEvents(channel.id), ['pending->connecting', 'connecting->qr', 'qr->connecting', 'connecting->connected']);

    // The old socket's listeners were removed before the new one opened: its late events change nothing.
    first.ev.emit('connection.update', { qr: '2@stale-qr' });
    first.ev.emit('connection.update', { connection: 'close', lastDisconnect: { error: new Error('late'), date: new Date() } });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await status(channel.id)).status, 'connected');
    assert.equal(channel.sockets().length, 2);

    const stored = await stack.db.selectFrom('whatsapp_auth').select(['type', 'id']).where('channel_id', '=', channel.id).execute();
    assert.deepEqual(stored, [{ type: 'creds', id: 'creds' }]);
  });
});

/** A new channel whose (fake) phone has scanned its QR: connected as `phone`. */
async function connectedChannel(phone = '40722000111') {
  const channel = await newChannel();
  const socket = channel.socket();
  socket.creds({ ...initAuthCreds(), registered: true, me: { id: `${phone}:3@s.whatsapp.net` } });
  socket.open(phone);
  await eventually(async () => (await status(channel.id)).status === 'connected', 5000, 'connected');
  return channel;
}

describe('reconnecting by DisconnectReason', () => {
  test('a transient close shows disconnected with the reason, then reconnects with growing pauses', async () => {
    const channel = await connectedChannel();
    const started = Date.now();
    channel.socket().close(428, 'Connection Closed');
    const disconnected = await eventually(async () => {
      const s = await status(channel.id);
      return s.status === 'disconnected' && s;
    }, 5000, 'disconnected');
    assert.match(disconnected.last_error, /Connection Closed \(428\); reconnecting in/);
    const second = await nextSocket(channel, 2);
    const firstPause = Date.now() - started;
    second.close(408, 'Connection Lost');
    const third = await nextSocket(channel, 3);
    third.close(503, 'Service Unavailable');
    const fourth = await nextSocket(channel, 4);
    const total = Date.now() - started;
    assert.ok(firstPause >= 100, `first pause ${firstPause} ms`);
    // 150 ms, 300 ms, 600 ms (+-25%): clearly more than three first pauses.
    assert.ok(total >= 700, `three pauses took ${total} ms`);
    fourth.open('40722000111');
    await eventually(async () => (await status(channel.id)).status === 'connected', 5000, 'connected again');
    assert.equal((await status(channel.id)).last_error, undefined);
  });

  test('connectionReplaced steps back: disconnected, no new socket, the session ends as replaced', async () => {
    const channel = await connectedChannel();
    channel.socket().close(440, 'Stream Errored (conflict)');
    const s = await eventually(async () => {
      const r = await status(channel.id);
      return r.status === 'disconnected' && r;
    }, 5000, 'disconnected');
    assert.match(s.last_error, /replaced by another WhatsApp Web client/);
    const result = await stack.client.workflow.getHandle(whatsappSessionWorkflowId(channel.id)).result();
    assert.equal(result, 'replaced');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(channel.sockets().length, 1, 'no second socket fights the other client');
  });

  test('loggedOut forgets the stored credentials and ends as logged_out', async () => {
    const channel = await connectedChannel();
    await eventually(async () => (await stack.db.selectFrom('whatsapp_auth').select('id').where('channel_id', '=', channel.id).execute()).length > 0, 5000, 'creds stored');
    channel.socket().close(401, 'Connection Failure');
    const result = await stack.client.workflow.getHandle(whatsappSessionWorkflowId(channel.id)).result();
    assert.equal(result, 'logged_out');
    // Logged out from the phone, not removed: the business can scan a new QR on the same channel.
    assert.equal((await status(channel.id)).status, 'logged_out');
    assert.deepEqual(await stack.db.selectFrom('whatsapp_auth').select('id').where('channel_id', '=', channel.id).execute(), []);
  });
});

describe('DELETE /api/whatsapp/channels/:id', () => {
  test('logs the device out, clears the session, and hides other accounts’ channels', async () => {
    const channel = await connectedChannel('40733000222');
    const socket = channel.socket();

    const other = await stack.api.post('/api/accounts', { name: 'Alt magazin' });
    assert.equal(other.status, 201);
    const foreign = await stack.api.withKey(other.body.api_key).request('DELETE', `/api/whatsapp/channels/${channel.id}`);
    assert.equal(foreign.status, 404);
    assert.equal(socket.loggedOut, false);

    const deleted = await stack.api.request('DELETE', `/api/whatsapp/channels/${channel.id}`);
    assert.equal(deleted.status, 202, JSON.stringify(deleted.body));
    const result = await stack.client.workflow.getHandle(whatsappSessionWorkflowId(channel.id)).result();
    assert.equal(result, 'logged_out');
    assert.equal(socket.loggedOut, true, 'the linked device was logged out on WhatsApp');
    const row = await stack.db.selectFrom('channels').select(['status', 'removed_at']).where('id', '=', channel.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'logged_out');
    assert.ok(row.removed_at, 'removed for its account');
    assert.equal((await stack.api.get(`/api/whatsapp/channels/${channel.id}/status`)).status, 404);
    assert.deepEqual(await stack.db.selectFrom('whatsapp_auth').select('id').where('channel_id', '=', channel.id).execute(), []);
    assert.equal(stack.gateway!.sessions.has(channel.id), false);
  });

  test('a channel whose session already ended (another WhatsApp Web client took over): its stored login is forgotten and it shows logged out', async () => {
    const channel = await connectedChannel('40733000333');
    await eventually(async () => (await stack.db.selectFrom('whatsapp_auth').select('id').where('channel_id', '=', channel.id).execute()).length > 0, 5000, 'creds stored');
    channel.socket().close(440, 'Stream Errored (conflict)');
    assert.equal(await stack.client.workflow.getHandle(whatsappSessionWorkflowId(channel.id)).result(), 'replaced');
    assert.ok((await stack.db.selectFrom('whatsapp_auth').select('id').where('channel_id', '=', channel.id).execute()).length > 0, 'an ended session keeps its login');

    const deleted = await stack.api.request('DELETE', `/api/whatsapp/channels/${channel.id}`);
    assert.equal(deleted.status, 202, JSON.stringify(deleted.body));
    assert.deepEqual(await stack.db.selectFrom('whatsapp_auth').select('id').where('channel_id', '=', channel.id).execute(), []);
    const row = await stack.db.selectFrom('channels').select(['status', 'removed_at']).where('id', '=', channel.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'logged_out');
    assert.ok(row.removed_at);
  });
});

describe('the session lease', () => {
  test('when renewals hang (the database stops answering), the socket is closed before the lease could lapse', async () => {
    const channel = await newChannel();
    const socket = channel.socket();
    socket.creds({ registered: true, me: { id: '40711222999:7@s.whatsapp.net' } });
    socket.open('40711222999');
    await eventually(async () => (await status(channel.id)).status === 'connected', 5000, 'connected');
    const ttl = Number(fastGatewayEnv.WHATSAPP_SESSION_HEARTBEAT_TIMEOUT_MS);
    // Another session holds the leases locked: every renewal waits and never returns in time.
    await stack.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      const { rows } = await sql<{ expires_at: Date }>`select expires_at from whatsapp_session_leases where channel_id = ${channel.id}`.execute(conn);
      await sql`lock table whatsapp_session_leases in access exclusive mode`.execute(conn);
      const expiresAt = rows[0]!.expires_at.getTime();
      await eventually(async () => socket.closed, ttl * 2, 'the socket closed');
      const closedAt = Date.now();
      await sql`rollback`.execute(conn);
      assert.ok(closedAt < expiresAt, `closed ${expiresAt - closedAt} ms before the lease could lapse`);
    });
  });
});
