import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { launchChromium } from '../support/browser.js';
import { demoKnowledge, outbox, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { WebhookConsumer } from '../support/webhook-consumer.js';
import { fastGatewayEnv } from '../whatsapp/support/env.js';
import { FakeWhatsApp, type FakeSocket } from '../whatsapp/support/fake-whatsapp.js';
import { channelStatusWorkflowId } from '../../workflows/channel-status/definitions.js';

/**
 * A number that disconnects, through the fake Baileys socket: logged out from the phone, or away
 * longer than WHATSAPP_DISCONNECTED_ALERT_MS (1 s here, 5 minutes by default). The business hears
 * of it once per outage: a banner in the dashboard with "Scan again", one channel.status_changed
 * webhook, and a WhatsApp alert from its other connected number; and once more when it is back.
 */
const THRESHOLD_MS = 1000;
const shots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results/faults');

const whatsapp = new FakeWhatsApp();
let stack: TestStack;
let browser: Browser;
let consumer: WebhookConsumer;
let channelId: string;
let socket: FakeSocket;
const business = uniquePhone();
const digits = business.slice(1);
const alertPhone = uniquePhone();
const sender = uniquePhone();
/** Webhooks the consumer had before the tests began. */
let baseline = 0;

before(async () => {
  await mkdir(shots, { recursive: true });
  stack = await startTestStack({ gateway: { socketFactory: whatsapp.factory, identity: 'gateway-alerts' }, env: { ...fastGatewayEnv, WHATSAPP_DISCONNECTED_ALERT_MS: String(THRESHOLD_MS) } });
  [browser, consumer] = await Promise.all([launchChromium(), WebhookConsumer.start()]);

  const widget = await stack.api.post('/api/widgets', { name: 'Magazin', knowledge_base: demoKnowledge, notifications: { alert_channel: 'whatsapp', alert_phone: alertPhone } });
  assert.equal(widget.status, 201, JSON.stringify(widget.body));
  const hook = await stack.api.post(`/api/widgets/${widget.body.id}/webhooks`, { url: consumer.url, events: ['channel.status_changed'] });
  assert.equal(hook.status, 201);
  // The account's other number, which the WhatsApp alerts come from.
  const other = await stack.api.post('/api/whatsapp/channels', { provider: 'sandbox' });
  assert.equal((await stack.api.post(`/api/whatsapp/sandbox/channels/${other.body.id}/scan`, { phone: sender })).status, 200);

  const channel = await stack.api.post('/api/whatsapp/channels', { provider: 'baileys' });
  channelId = channel.body.id;
  socket = await eventually(async () => whatsapp.latest(channelId), 10_000, 'a socket');
  socket.creds({ registered: true, me: { id: `${digits}:3@s.whatsapp.net` } });
  socket.open(digits);
  await eventually(async () => (await status()).status === 'connected', 10_000, 'connected');
  const link = await stack.api.post('/api/whatsapp/links', { widget_id: widget.body.id, whatsapp_channel: 'web', phone: business });
  assert.equal(link.status, 201, JSON.stringify(link.body));
  // The first connection was announced too (to the widgets linked by the time it ran): done before the tests count.
  await stack.client.workflow.getHandle(channelStatusWorkflowId({ channelId, seq: 1 })).result();
  await new Promise((r) => setTimeout(r, 500));
  baseline = announced().length;
});

after(async () => {
  await browser?.close();
  await consumer?.stop();
  await stack?.stop();
});

async function status() {
  return (await stack.api.get(`/api/whatsapp/channels/${channelId}/status`)).body;
}

/** The statuses of the channel.status_changed webhooks the consumer got for this number since the tests began, in order. */
function announced(): string[] {
  return consumer.requests
    .map((r) => JSON.parse(r.rawBody) as { data: { channel_id: string; status: string } })
    .filter((b) => b.data.channel_id === channelId)
    .map((b) => b.data.status)
    .slice(baseline);
}

async function alerts() {
  return (await outbox(stack.api, alertPhone)).filter((m) => m.from === sender);
}

async function dashboard(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(15_000);
  await page.goto(`${stack.apiUrl}/`);
  await page.getByLabel('API key').fill(stack.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Conversations', exact: true }).waitFor();
  return page;
}

test(`away longer than ${THRESHOLD_MS} ms while it keeps reconnecting: one webhook, one WhatsApp alert, a banner; back, and the banner goes`, { timeout: 60_000 }, async () => {
  const page = await dashboard();
  try {
    const changesBefore = (await stack.db.selectFrom('channel_events').select('id').where('channel_id', '=', channelId).execute()).length;
    // Every reconnect fails for now: the status flickers between connecting and disconnected.
    whatsapp.onSocket = (next) => setTimeout(() => next.close(408, 'Connection Lost'), 50);
    const lostAt = Date.now();
    socket.close(428, 'Connection Closed');

    await eventually(async () => announced().includes('disconnected'), 10_000, 'the webhook');
    const announcedAfter = Date.now() - lostAt;
    assert.ok(announcedAfter >= THRESHOLD_MS, `not before the threshold: ${announcedAfter} ms`);
    const [alert] = await eventually(async () => {
      const sent = await alerts();
      return sent.length > 0 && sent;
    }, 10_000, 'the WhatsApp alert');
    assert.match(alert!.text, new RegExp(`\\${business}`));
    const banner = page.getByRole('alert').filter({ hasText: 'WhatsApp needs your attention' });
    await banner.getByText(`${business} has been disconnected`).waitFor();
    await banner.getByRole('button', { name: 'Scan again' }).waitFor();
    await page.screenshot({ path: path.join(shots, 'channel-disconnected-banner.png') });
    assert.deepEqual(await axeViolations(page), [], 'axe finds nothing on the dashboard with the banner');

    // Still down, still flickering: nothing more is said.
    await new Promise((r) => setTimeout(r, 2 * THRESHOLD_MS));
    const changes = (await stack.db.selectFrom('channel_events').select('id').where('channel_id', '=', channelId).execute()).length - changesBefore;
    assert.ok(changes >= 6, `the status changed ${changes} times`);
    assert.deepEqual(announced(), ['disconnected'], 'one webhook for the whole outage');
    assert.equal((await alerts()).length, 1, 'one WhatsApp alert');
    assert.deepEqual((await status()).alert?.status, 'disconnected');

    whatsapp.onSocket = (next) => {
      socket = next;
      next.open(digits);
    };
    await eventually(async () => announced().length === 2, 10_000, 'the number back');
    assert.deepEqual(announced(), ['disconnected', 'connected']);
    await banner.waitFor({ state: 'detached' });
    assert.equal((await status()).alert, undefined);
    assert.equal((await alerts()).length, 1, 'no alert for good news');
  } finally {
    await page.close();
  }
});

test('logged out from the phone: told at once; "Scan again" in the banner shows a new QR, and the scan clears the banner', { timeout: 60_000 }, async () => {
  const page = await dashboard();
  try {
    const before = announced().length;
    whatsapp.onSocket = (next) => next.qr('2@scan-again-ref,noise,identity,adv');
    socket.close(401, 'Connection Failure');
    await eventually(async () => announced().length === before + 1, 10_000, 'the webhook');
    assert.equal(announced().at(-1), 'logged_out');
    await eventually(async () => (await alerts()).length === 2, 10_000, 'the WhatsApp alert');
    assert.match((await alerts())[1]!.text, /logged out|deconectat/);

    const banner = page.getByRole('alert').filter({ hasText: 'WhatsApp needs your attention' });
    await banner.getByText(`${business} was logged out of WhatsApp`).waitFor();
    await page.screenshot({ path: path.join(shots, 'channel-logged-out-banner.png') });
    assert.deepEqual(await axeViolations(page), []);
    await banner.getByRole('button', { name: 'Scan again' }).click();

    // A new session asks WhatsApp for a QR, shown on the Integrations screen.
    await page.getByRole('img', { name: 'WhatsApp QR code' }).waitFor();
    assert.match(page.url(), /#\/integrations$/);
    await banner.getByText('A new QR code is waiting').waitFor();
    await page.screenshot({ path: path.join(shots, 'channel-scan-again-qr.png') });
    const scanning = whatsapp.latest(channelId)!;
    assert.equal(scanning.config.auth.creds.registered, false, 'a fresh login, not the old credentials');

    // The phone scans it: Baileys stores the identity and restarts, and the number is connected.
    whatsapp.onSocket = (next) => next.open(digits);
    scanning.creds({ registered: true, me: { id: `${digits}:4@s.whatsapp.net` } });
    scanning.close(515, 'Stream Errored (restart required)');
    await banner.waitFor({ state: 'detached' });
    await eventually(async () => announced().length === before + 2, 10_000, 'connected again');
    assert.deepEqual(announced().slice(before), ['logged_out', 'connected'], 'one webhook for the logout, one for the return');
    assert.equal((await alerts()).length, 2, 'one WhatsApp alert for the logout');
    await page.screenshot({ path: path.join(shots, 'channel-connected-again.png') });
  } finally {
    await page.close();
  }
});

test('"Scan again" while the session still retries: the old device is logged out and forgotten, a fresh QR comes, nothing more is announced', { timeout: 60_000 }, async () => {
  const before = announced().length;
  const alertsBefore = (await alerts()).length;
  whatsapp.onSocket = (next) => setTimeout(() => next.close(408, 'Connection Lost'), 50);
  whatsapp.latest(channelId)!.close(428, 'Connection Closed');
  await eventually(async () => (await status()).alert?.status === 'disconnected', 10_000, 'the outage announced');
  const socketsBefore = whatsapp.of(channelId).length;

  // WhatsApp shows a QR only to a device that is not logged in; the old login keeps failing.
  whatsapp.onSocket = (next) => (next.config.auth.creds.registered ? setTimeout(() => next.close(408, 'Connection Lost'), 50) : next.qr('2@fresh-after-rescan,noise,identity,adv'));
  const rescan = await stack.api.post(`/api/whatsapp/channels/${channelId}/rescan`);
  assert.equal(rescan.status, 202, JSON.stringify(rescan.body));
  // A socket without the old login, which only exists once the old one was logged out and forgotten.
  await eventually(async () => (await status()).status === 'qr' && whatsapp.latest(channelId)?.config.auth.creds.registered === false, 15_000, 'a fresh QR');
  assert.ok(whatsapp.of(channelId).length > socketsBefore);
  assert.equal((await stack.db.selectFrom('whatsapp_auth').select('id').where('channel_id', '=', channelId).where('type', '!=', 'creds').execute()).length, 0, 'no key of the old login is left');
  assert.deepEqual(announced().slice(before), ['disconnected'], 'the logout that Scan again did is part of the same outage');
  assert.equal((await alerts()).length, alertsBefore + 1);
  assert.equal((await stack.api.post(`/api/whatsapp/channels/${channelId}/rescan`)).status, 202, 'pressed twice: a fresh QR again, no error');

  whatsapp.onSocket = (next) => next.open(digits);
  const current = whatsapp.latest(channelId)!;
  current.creds({ registered: true, me: { id: `${digits}:5@s.whatsapp.net` } });
  current.close(515, 'Stream Errored (restart required)');
  await eventually(async () => (await status()).status === 'connected', 15_000, 'connected again');
  assert.equal((await status()).alert, undefined);
  const connected = await stack.api.post(`/api/whatsapp/channels/${channelId}/rescan`);
  assert.equal(connected.status, 409, 'nothing to scan while connected');
});
