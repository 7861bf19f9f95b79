import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { seedDemo } from '../../worker/seed-demo.js';
import { catalogues } from '../../workflows/i18n/catalogue.js';
import { axeViolations } from '../support/axe.js';
import { gradientPng } from '../support/png.js';
import { launchChromium } from '../support/browser.js';
import { customerSays, demoKnowledge, outbox, uniquePhone, conversationSettled } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

// The web widget on a business's page, served from another origin than the API, in Chromium.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shots = path.join(root, 'test-results', 'widget');

let stack: TestStack;
let browser: Browser;
let host: { server: Server; origin: string };
let widgetId: string;
let businessPhone: string;

/**
 * The business's own site: a page with the one script tag, on an origin of its own;
 * `?lang=` sets its `<html lang>`, `?widget=` embeds another widget.
 */
async function startHostPage(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    const page = url.pathname.startsWith('/other') ? 'Another page' : 'Florăria Roz';
    const lang = url.searchParams.get('lang');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html${lang ? ` lang="${lang}"` : ''}><head><meta charset="utf-8"><title>${page}</title>
      <style>button, div, p { font-family: serif !important; color: red !important; background: yellow !important; }</style></head>
      <body><h1>${page}</h1><p>Flori proaspete, livrate azi.</p>
      <script src="${stack.apiUrl}/widget.js" data-widget="${url.searchParams.get('widget') ?? widgetId}" async></script></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, origin: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

before(async () => {
  await mkdir(shots, { recursive: true });
  stack = await startTestStack();
  widgetId = 'pending';
  host = await startHostPage();
  const widget = await stack.api.post('/api/widgets', { name: 'Florăria Roz', assistant_name: 'Ana', knowledge_base: demoKnowledge, allowed_origins: [host.origin] });
  widgetId = widget.body.id;
  // The same widget answers on WhatsApp too.
  const channel = await stack.api.post('/api/whatsapp/channels', { provider: 'sandbox' });
  businessPhone = uniquePhone();
  await stack.api.post(`/api/whatsapp/sandbox/channels/${channel.body.id}/scan`, { phone: businessPhone });
  await stack.api.post('/api/whatsapp/links', { widget_id: widgetId, whatsapp_channel: 'web', phone: businessPhone });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  host?.server.close();
  await stack?.stop();
});

async function openWidget(page: Page): Promise<void> {
  await page.goto(`${host.origin}/`);
  await page.getByRole('button', { name: /Open chat with/ }).click();
  await page.getByRole('dialog').waitFor();
}

async function ask(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

test('widget.js is small', () => {
  const gzipped = gzipSync(readFileSync(path.join(root, 'widget', 'widget.js'))).length;
  console.log(`widget.js: ${gzipped} bytes gzipped`);
  assert.ok(gzipped < 30 * 1024, `${gzipped} bytes gzipped`);
});

test('a visitor asks in Romanian and English and gets the knowledge-base answers; WhatsApp gets the same words; a reload shows the history', async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  page.setDefaultTimeout(15_000);
  try {
    await page.goto(`${host.origin}/`);
    // A new visitor sees the assistant's name before any session exists.
    await page.getByRole('button', { name: 'Open chat with Ana' }).waitFor();
    await openWidget(page);
    await ask(page, 'Cat costa livrarea?');
    const answer = 'Livrarea costă 15 lei, gratuită peste 200 lei.';
    await page.getByText(answer).waitFor();
    await ask(page, 'how much is shipping?');
    await page.getByText('Shipping costs 15 lei, free over 200 lei.').waitFor();
    await page.screenshot({ path: path.join(shots, '01-conversation.png') });

    const customer = uniquePhone();
    await customerSays(stack.api, businessPhone, customer, 'Cat costa livrarea?');
    const whatsapp = await eventually(async () => (await outbox(stack.api, customer))[0], 15_000, 'the WhatsApp answer');
    assert.equal(whatsapp.text, answer, 'the same assistant on both channels');

    await page.reload();
    await page.getByRole('button', { name: /Open chat with/ }).click();
    await page.getByText(answer).waitFor();
    await page.getByText('how much is shipping?').waitFor();
  } finally {
    await page.close();
  }
});

test("after a takeover Caty is silent and the agent's message appears live", async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  page.setDefaultTimeout(15_000);
  try {
    await openWidget(page);
    await ask(page, 'Care este programul magazinului?');
    await page.getByText('Suntem deschiși luni-vineri, 9:00-18:00.').waitFor();
    const conversation = await eventually(
      async () => stack.db.selectFrom('conversations').select('id').where('widget_id', '=', widgetId).where('kind', '=', 'web').orderBy('created_at', 'desc').executeTakeFirst(),
      10_000,
      'the web conversation',
    );
    assert.equal((await stack.api.post(`/api/conversations/${conversation.id}/takeover`)).status, 202);
    await eventually(async () => (await stack.db.selectFrom('conversations').select('mode').where('id', '=', conversation.id).executeTakeFirstOrThrow()).mode === 'human');
    await ask(page, 'Cat costa livrarea?');
    assert.equal((await stack.api.post(`/api/conversations/${conversation.id}/messages`, { text: 'Bună! Sunt Maria, vă ajut eu.' })).status, 202);
    await page.getByText('Bună! Sunt Maria, vă ajut eu.').waitFor();
    // The agent offers reply buttons; the visitor's tap arrives as the button's id, on the web channel.
    const offer = { text: 'Cum preferați livrarea?', buttons: [{ id: 'ship_courier', title: 'Curier' }, { id: 'ship_pickup', title: 'Ridicare' }] };
    assert.equal((await stack.api.post(`/api/conversations/${conversation.id}/messages`, offer)).status, 202);
    await page.getByRole('button', { name: 'Ridicare' }).click();
    const tapped = await eventually(
      async () =>
        (await stack.db.selectFrom('events').select('data').where('conversation_id', '=', conversation.id).where('event', '=', 'whatsapp.message.received').execute())
          .map((e) => e.data)
          .find((d) => d.reply_id === 'ship_pickup'),
      10_000,
      'the tap as a received message',
    );
    assert.equal(tapped.text, 'Ridicare');
    assert.equal(tapped.channel, 'web');
    await conversationSettled(stack, conversation.id, {});
    // Each message once: the visitor's own, shown as it was sent, is not repeated by the stream.
    assert.equal(await page.getByText('Care este programul magazinului?').count(), 1);
    const replies = await stack.db.selectFrom('messages').select('author').where('conversation_id', '=', conversation.id).where('direction', '=', 'outbound').execute();
    assert.deepEqual(replies.map((r) => r.author).sort(), ['agent', 'agent', 'ai'], 'no answer from Caty after the takeover');
    // Nobody claims to be typing while the visitor waits for a person.
    assert.equal(await page.getByText('Ana is typing…').isVisible(), false);
    await page.screenshot({ path: path.join(shots, '02-agent-phone.png') });
  } finally {
    await page.close();
  }
});

test("the panel opens with the widget's greeting, in the page's language when the widget speaks it, before anything is sent", async () => {
  const greeting = { text: 'Bună! Sunt Ana de la Florăria Roz: vă ajut cu flori, prețuri și livrare.', translations: { en: "Hi! I'm Ana from Florăria Roz: ask me about flowers, prices and delivery." } };
  const greeter = await stack.api.post('/api/widgets', { name: 'Florăria Roz', assistant_name: 'Ana', knowledge_base: demoKnowledge, allowed_origins: [host.origin], greeting });
  assert.equal(greeter.status, 201, JSON.stringify(greeter.body));
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const calls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/public/widgets/')) calls.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    // The widget speaks English (its greeting is translated): an English page gets it in English.
    await page.goto(`${host.origin}/?widget=${greeter.body.id}&lang=en-GB`);
    await page.getByRole('button', { name: 'Open chat with Ana' }).click();
    const log = page.getByRole('log', { name: 'Messages' });
    await log.getByText(greeting.translations.en).waitFor();
    assert.equal(await log.locator('[lang="en"]').count(), 1, 'the greeting says which language it is in');
    assert.deepEqual(calls.filter((c) => c.startsWith('POST') && c.endsWith('/messages')), [], 'a greeting, and nothing sent');
    assert.deepEqual(await axeViolations(page, '#caty-widget'), []);
    await page.screenshot({ path: path.join(shots, '04-greeting.png') });
    // On a phone the panel fills the screen: the greeting is what fills it first.
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${host.origin}/?widget=${greeter.body.id}&lang=en`);
    await phone.getByRole('button', { name: 'Open chat with Ana' }).click();
    await phone.getByText(greeting.translations.en).waitFor({ timeout: 15_000 });
    await phone.screenshot({ path: path.join(shots, '04-greeting-phone.png') });
    await phone.close();

    // Not German: a German page gets the default language's greeting, which comes before the history.
    await page.goto(`${host.origin}/?widget=${greeter.body.id}&lang=de`);
    await page.getByRole('button', { name: 'Open chat with Ana' }).click();
    await log.getByText(greeting.text).waitFor();
    await ask(page, 'Cat costa livrarea?');
    await log.getByText('Livrarea costă 15 lei, gratuită peste 200 lei.').waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Open chat with Ana' }).click();
    await log.getByText('Livrarea costă 15 lei, gratuită peste 200 lei.').waitFor();
    const shown = await log.locator('.m').allTextContents();
    assert.deepEqual(shown, [`Ana: ${greeting.text}`, 'You: Cat costa livrarea?', 'Ana: Livrarea costă 15 lei, gratuită peste 200 lei.']);
    await page.screenshot({ path: path.join(shots, '05-greeting-history.png') });
  } finally {
    await context.close();
  }
});

test("a visitor attaches a photo and sees it in the thread, then Caty's acknowledgement; files the widget cannot send are refused with the reason; the agent's PDF and voice note show both ways", async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const uploads: number[] = [];
    page.on('response', (r) => {
      if (r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/media')) uploads.push(r.status());
    });
    await openWidget(page);
    const log = page.getByRole('log', { name: 'Messages' });
    const choose = async (file: { name: string; mimeType: string; buffer: Buffer }) => {
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Attach a photo or PDF' }).click()]);
      await chooser.setFiles(file);
    };

    // Refused in the page, with the reason, before a byte is sent.
    await choose({ name: 'animatie.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a\x01\x00\x01\x00') });
    await page.getByRole('alert').getByText('You can send photos (JPEG or PNG) and PDF documents.').waitFor();
    await choose({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(12 * 1024 * 1024)]) });
    await page.getByRole('alert').getByText('scan.pdf is 12.0 MB; files up to 10 MB can be sent.').waitFor();
    await page.screenshot({ path: path.join(shots, '08-file-refused.png') });
    assert.deepEqual(uploads, [], 'nothing uploaded');

    const photo = gradientPng(480, 320);
    await choose({ name: 'buchet.png', mimeType: 'image/png', buffer: photo });
    assert.equal(await page.getByRole('alert').isVisible(), false, 'the refusal is gone once a file is taken');
    await page.getByText(`buchet.png (${Math.round(photo.length / 1024)} KB)`).waitFor();
    await page.screenshot({ path: path.join(shots, '09-photo-attached.png') });
    await page.getByRole('button', { name: 'Send' }).click();
    const thumbnail = log.getByRole('link', { name: 'Photo (opens full size)' });
    await thumbnail.waitFor();
    const widget = await stack.db.selectFrom('widgets').select('default_language').where('id', '=', widgetId).executeTakeFirstOrThrow();
    const acknowledgement = catalogues[widget.default_language]!.attachmentReceived;
    await log.getByText(acknowledgement).waitFor();
    assert.deepEqual(uploads, [201]);

    // The photo reached its conversation as a file of the account, the same bytes.
    const conversation = await eventually(
      async () => stack.db.selectFrom('conversations').select('id').where('widget_id', '=', widgetId).where('kind', '=', 'web').orderBy('created_at', 'desc').executeTakeFirst(),
      10_000,
      'the web conversation',
    );
    const thread = (await stack.api.get(`/api/conversations/${conversation.id}/messages`)).body as any[];
    assert.deepEqual(thread.map((m) => [m.author, m.text, m.media?.kind ?? null]), [['customer', '', 'image'], ['ai', acknowledgement, null]]);
    const stored = await fetch(`${stack.apiUrl}/api/media/${thread[0].media.id}`, { headers: { authorization: `Bearer ${stack.adminKey}` } });
    assert.deepEqual(Buffer.from(await stored.arrayBuffer()), photo);

    // The thumbnail opens the photo full size.
    const [opened] = await Promise.all([page.waitForEvent('popup'), thumbnail.click()]);
    assert.match(opened.url(), /^blob:/);
    await opened.close();

    // The agent sends a PDF and a voice note: a link with name and size, and a player.
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(20_000, 7)]);
    const upload = async (type: string, bytes: Buffer, query = '') => {
      const r = await fetch(`${stack.apiUrl}/api/media${query}`, { method: 'POST', headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': type }, body: bytes });
      assert.equal(r.status, 201);
      return ((await r.json()) as { id: string }).id;
    };
    const pdfId = await upload('application/pdf', pdf, '?filename=catalog-flori.pdf');
    assert.equal((await stack.api.post(`/api/conversations/${conversation.id}/messages`, { media: { id: pdfId }, text: 'Catalogul nostru' })).status, 202);
    const voiceId = await upload('audio/ogg', Buffer.concat([Buffer.from('OggS'), Buffer.alloc(3000, 1)]));
    assert.equal((await stack.api.post(`/api/conversations/${conversation.id}/messages`, { media: { id: voiceId } })).status, 202);
    const document = log.getByRole('link', { name: 'catalog-flori.pdf (20 KB)' });
    await document.waitFor();
    await log.getByText('Catalogul nostru').waitFor();
    await log.getByLabel('Voice message').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), document.click()]);
    assert.equal(download.suggestedFilename(), 'catalog-flori.pdf');
    assert.deepEqual(readFileSync((await download.path())!), pdf);
    assert.deepEqual(await axeViolations(page, '#caty-widget'), []);
    await page.screenshot({ path: path.join(shots, '10-media-thread.png') });

    // After a reload the history brings the photo back, read with the visitor's token.
    await page.reload();
    await page.getByRole('button', { name: /Open chat with/ }).click();
    const image = log.getByRole('link', { name: 'Photo (opens full size)' }).locator('img');
    await eventually(async () => (await image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)) === 480, 10_000, 'the photo drawn from the history');
    await log.getByRole('link', { name: 'catalog-flori.pdf (20 KB)' }).waitFor();
    assert.deepEqual(await axeViolations(page, '#caty-widget'), []);
  } finally {
    await context.close();
  }
});

test("the demo page that npm start prints: Caty greets, a visitor asks, and sees Caty's answer", async () => {
  const apiOrigin = new URL(stack.apiUrl!).origin;
  await seedDemo(stack.db, [apiOrigin]);
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const refused: string[] = [];
    const sameOrigin: string[] = [];
    page.on('response', async (r) => {
      if (!r.url().includes('/public/widgets/')) return;
      if (r.status() >= 400) refused.push(`${r.request().method()} ${r.url()} ${r.status()}`);
      const sent = await r.request().allHeaders();
      if (r.request().method() === 'GET' && sent.origin === undefined && sent['sec-fetch-site'] === 'same-origin') sameOrigin.push(new URL(r.url()).pathname);
    });
    await page.goto(`${stack.apiUrl}/demo`);
    await page.getByRole('heading', { name: 'Magazinul Demo' }).waitFor();
    await page.getByRole('button', { name: 'Open chat with Caty' }).click();
    await page.getByText("Hello! I'm Caty, the virtual assistant of Magazinul Demo.", { exact: false }).waitFor();
    await ask(page, 'Cât costă livrarea?');
    await page.getByText('Livrarea costă 15 lei și este gratuită pentru comenzile de peste 200 de lei.').waitFor();
    assert.deepEqual(refused, []);
    // The page's own GETs carried no Origin, as a browser sends them, and were answered.
    for (const route of ['/public/widgets/wgt_demo', '/public/widgets/wgt_demo/messages', '/public/widgets/wgt_demo/stream']) assert.ok(sameOrigin.includes(route), `${route} in ${sameOrigin.join(', ')}`);
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: path.join(shots, '06-demo-page.png') });
  } finally {
    await context.close();
  }
});

test("the demo page of a widget that does not allow Caty's own origin says so", async () => {
  const page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  try {
    await page.goto(`${stack.apiUrl}/demo?widget=${widgetId}`);
    await page.getByRole('status').getByText(`This widget does not allow pages on ${new URL(stack.apiUrl!).origin} yet`, { exact: false }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: path.join(shots, '07-demo-not-allowed.png') });
    assert.equal((await fetch(`${stack.apiUrl}/demo?widget=${encodeURIComponent('"><script>')}`)).status, 400);
  } finally {
    await page.close();
  }
});

test('a page from an origin the widget does not allow gets nothing', async () => {
  await stack.api.patch(`/api/widgets/${widgetId}`, { allowed_origins: ['https://only.example'] });
  // The API caches a widget's settings for a few seconds.
  await new Promise((r) => setTimeout(r, 5500));
  const page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  try {
    const blocked: string[] = [];
    // The API answers 403 without CORS headers: to the page, every call simply fails.
    page.on('requestfailed', (r) => {
      if (r.url().includes('/public/widgets/')) blocked.push(r.url());
    });
    const conversationsBefore = (await stack.db.selectFrom('conversations').select('id').where('widget_id', '=', widgetId).where('kind', '=', 'web').execute()).length;
    await openWidget(page);
    await ask(page, 'Cat costa livrarea?');
    await eventually(async () => blocked.length > 0, 10_000, 'a refused call');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await page.getByText('Livrarea costă 15 lei').count(), 0);
    const conversationsAfter = (await stack.db.selectFrom('conversations').select('id').where('widget_id', '=', widgetId).where('kind', '=', 'web').execute()).length;
    assert.equal(conversationsAfter, conversationsBefore, 'nothing reached a conversation');
    await page.screenshot({ path: path.join(shots, '03-not-allowed.png') });
  } finally {
    await page.close();
    await stack.api.patch(`/api/widgets/${widgetId}`, { allowed_origins: [host.origin] });
  }
});
