import assert from 'node:assert/strict';
import { axeViolations } from '../support/axe.js';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { startFakeOpenAi, type FakeOpenAi } from '../support/openai-server.js';
import { gradientPng } from '../support/png.js';
import { connectedWidget, outbox, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

const shots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results/dashboard');

let stack: TestStack;
let browser: Browser;
let openai: FakeOpenAi;

before(async () => {
  await mkdir(shots, { recursive: true });
  openai = await startFakeOpenAi({ transcriptionFallback: { text: 'Bună, cât costă livrarea?' } });
  stack = await startTestStack({ env: { TRANSCRIPTION_PROVIDER: 'openai', OPENAI_BASE_URL: openai.baseUrl, OPENAI_API_KEY: 'k' } });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
  await openai?.close();
});


test("the thread shows a photo that opens, a voice note's player with its transcript, a document with name and size, a location link and a contact card; an agent attaches a file", async () => {
  const { widgetId, businessPhone } = await connectedWidget(stack.api, { widget: { name: 'Magazin Media' } });
  const customer = uniquePhone();
  const say = async (body: Record<string, unknown>) => assert.equal((await stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, ...body })).status, 202);
  await say({ media: { kind: 'image', mime_type: 'image/png', data: gradientPng(320, 200).toString('base64') }, text: 'Îl aveți și în albastru?' });
  await say({ media: { kind: 'audio', mime_type: 'audio/ogg', data: Buffer.concat([Buffer.from('OggS'), randomBytes(2000)]).toString('base64'), voice: true } });
  await say({ media: { kind: 'document', mime_type: 'application/pdf', data: Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(150_000)]).toString('base64'), filename: 'comanda-1234.pdf' } });
  await say({ location: { latitude: 44.4268, longitude: 26.1025, name: 'Magazin Lipscani', address: 'Str. Lipscani 1, București' } });
  await say({ contact: { name: 'Ion Popescu', phones: ['+40722000111'] } });
  const conversation = await eventually(async () => {
    const row = await stack.db.selectFrom('conversations').select(['id', 'message_count']).where('customer', '=', customer).executeTakeFirst();
    return row && row.message_count >= 10 && row;
  }, 20_000, 'every message answered');

  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  page.setDefaultTimeout(10_000);
  try {
    await page.goto(`${stack.apiUrl}/`);
    await page.getByLabel('API key').fill(stack.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Conversations', exact: true }).click();
    await page.getByLabel('Widget').selectOption({ label: 'Magazin Media' });
    await page.getByRole('button', { name: customer }).click();

    const photo = page.getByRole('img', { name: 'Photo from the chat (opens full size)' });
    await photo.waitFor();
    await eventually(async () => (await photo.evaluate((img: any) => img.complete && img.naturalWidth)) === 320, 10_000, 'the photo drawn');
    assert.match((await page.getByRole('link', { name: 'Photo from the chat (opens full size)' }).getAttribute('href')) ?? '', /^blob:/);
    assert.equal(await page.locator('audio[aria-label="Voice note"]').count(), 1);
    await page.getByText('Transcript: Bună, cât costă livrarea?').waitFor();
    await page.getByRole('button', { name: 'comanda-1234.pdf (146 KB)' }).waitFor();
    const map = page.getByRole('link', { name: 'Location: Magazin Lipscani' });
    assert.match((await map.getAttribute('href')) ?? '', /openstreetmap\.org\/\?mlat=44\.4268&mlon=26\.1025/);
    await page.getByText('Contact card: Ion Popescu').waitFor();
    await page.getByRole('link', { name: '+40722000111' }).waitFor();
    await page.locator('ol.messages').evaluate((list: any) => (list.scrollTop = 0));
    await page.screenshot({ path: path.join(shots, '10-thread-media.png'), fullPage: true });
    assert.deepEqual(await axeViolations(page, 'ol.messages'), []);

    // The agent attaches a PDF with a caption.
    await page.getByLabel('Attach a file').setInputFiles({ name: 'oferta.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(3000)]) });
    await page.getByLabel('Reply').fill('Oferta noastră');
    await page.getByRole('button', { name: 'Send' }).click();
    const sent = await eventually(async () => (await outbox(stack.api, customer)).find((m: any) => m.media?.filename === 'oferta.pdf') as any, 15_000, 'the PDF in the outbox');
    assert.equal(sent.text, 'Oferta noastră');
    await page.getByRole('button', { name: 'oferta.pdf (3 KB)' }).waitFor({ timeout: 15_000 });
    assert.deepEqual(await axeViolations(page, 'form.reply'), []);
    await page.screenshot({ path: path.join(shots, '11-thread-agent-file.png') });
  } finally {
    await page.close();
  }
  assert.ok(conversation.id);
});
