import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { launchChromium } from '../support/browser.js';
import { connectedWidget, customerSays, demoKnowledge, outbox, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

// The dashboard in a real browser (Debian's chromium, driven by playwright-core) against the real
// stack. Screenshots of each screen go to test-results/ for people to look at.
const shots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results/dashboard');

let stack: TestStack;
let browser: Browser;

before(async () => {
  await mkdir(shots, { recursive: true });
  // Tests run the dev server without its UI; the links still have to point somewhere.
  stack = await startTestStack({ env: { TEMPORAL_UI_URL: 'http://127.0.0.1:8233' } });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

async function newPage(width = 1280, height = 860): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  page.setDefaultTimeout(10_000);
  return page;
}

async function signIn(page: Page, key: string): Promise<void> {
  await page.goto(`${stack.apiUrl}/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a wrong key is refused with a clear message; the right one opens the dashboard', async () => {
  const page = await newPage();
  try {
    await signIn(page, 'caty_not_a_real_key');
    await page.getByRole('alert').filter({ hasText: /API key/i }).waitFor();
    await page.screenshot({ path: path.join(shots, '01-wrong-key.png') });
    await page.getByLabel('API key').fill(stack.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    for (const name of ['Conversations', 'Integrations', 'Widget', 'Knowledge', 'Webhooks']) await page.getByRole('link', { name, exact: true }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/dashboard');
  } finally {
    await page.close();
  }
});

test('connect a sandbox number by its QR, see it connected, link it to a widget', async () => {
  const widget = await stack.api.post('/api/widgets', { name: 'Florăria Roz', knowledge_base: demoKnowledge });
  const page = await newPage();
  try {
    await signIn(page, stack.adminKey);
    await page.getByRole('link', { name: 'Integrations', exact: true }).click();
    await page.getByRole('button', { name: 'Connect WhatsApp' }).click();
    const qr = page.getByRole('img', { name: 'WhatsApp QR code' });
    await qr.waitFor();
    assert.ok(((await qr.boundingBox())?.width ?? 0) > 100, 'the QR is big enough to scan');
    await page.screenshot({ path: path.join(shots, '02-qr.png') });

    const phone = uniquePhone();
    await page.getByLabel('Phone number').fill(phone);
    await page.getByRole('button', { name: 'Simulate scan' }).click();
    await page.getByText('Connected', { exact: true }).first().waitFor();
    await page.getByText(phone).first().waitFor();

    await page.getByLabel('Widget').selectOption({ label: 'Florăria Roz' });
    await page.getByLabel('Channel type').selectOption('web');
    await page.getByRole('button', { name: 'Link to widget' }).click();
    await eventually(async () => (await stack.api.get('/api/whatsapp/links')).body.links.some((l: { phone: string; widget_id: string }) => l.phone === phone && l.widget_id === widget.body.id), 10_000, 'the link');
    await page.screenshot({ path: path.join(shots, '03-connected-linked.png') });
  } finally {
    await page.close();
  }
});

test('conversations live: a message appears without reload; take over, reply as the agent, resume', async () => {
  const { widgetId, businessPhone } = await connectedWidget(stack.api, { widget: { name: 'Magazin Live' } });
  const page = await newPage();
  try {
    await signIn(page, stack.adminKey);
    await page.getByRole('link', { name: 'Conversations', exact: true }).click();
    await page.getByLabel('Widget').selectOption({ label: 'Magazin Live' });

    const customer = uniquePhone();
    const { conversation_id } = await customerSays(stack.api, businessPhone, customer, 'cat costa livrarea?');
    const row = page.getByRole('button', { name: customer });
    await row.waitFor({ timeout: 15_000 });
    // The row shows the latest message: Caty's answer, once it is in.
    await page.getByRole('row').filter({ hasText: customer }).getByText('Livrarea costă 15 lei', { exact: false }).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: path.join(shots, '04-conversations.png') });

    await row.click();
    await page.getByText('Livrarea costă 15 lei, gratuită peste 200 lei.').last().waitFor();
    const temporal = page.getByRole('link', { name: 'Open in Temporal UI' });
    assert.match((await temporal.getAttribute('href')) ?? '', /\/workflows\/conversation/);

    await page.getByRole('button', { name: 'Take over' }).click();
    await eventually(async () => (await stack.db.selectFrom('conversations').select('mode').where('id', '=', conversation_id).executeTakeFirstOrThrow()).mode === 'human', 10_000, 'mode human');
    await page.locator('.mode-human').first().waitFor();

    await page.getByLabel('Reply').fill('Bună, sunt Ana. Livrarea e gratuită azi!');
    await page.getByRole('button', { name: 'Send' }).click();
    await eventually(async () => (await outbox(stack.api, customer)).some((m) => m.text === 'Bună, sunt Ana. Livrarea e gratuită azi!'), 10_000, 'the agent reply in the outbox');
    await page.getByText('Bună, sunt Ana. Livrarea e gratuită azi!').first().waitFor();
    await page.screenshot({ path: path.join(shots, '05-thread-human.png') });

    await page.getByRole('button', { name: 'Resume' }).click();
    await eventually(async () => (await stack.db.selectFrom('conversations').select('mode').where('id', '=', conversation_id).executeTakeFirstOrThrow()).mode === 'ai', 10_000, 'mode ai');
    assert.ok(widgetId);
  } finally {
    await page.close();
  }
});

test('on a phone-sized screen the dashboard fits without sideways scrolling', async () => {
  const page = await newPage(390, 844);
  try {
    await signIn(page, stack.adminKey);
    await page.getByRole('link', { name: 'Conversations', exact: true }).waitFor();
    // A string, so the browser-side code needs no DOM types here.
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    assert.ok(overflow <= 1, `the page is ${overflow}px wider than the screen`);
    await page.screenshot({ path: path.join(shots, '06-phone.png'), fullPage: true });
  } finally {
    await page.close();
  }
});

test('widget settings: a bad value shows the API message next to the field and saves nothing; a good one saves', async () => {
  const widget = await stack.api.post('/api/widgets', { name: 'Setări', knowledge_base: demoKnowledge });
  const page = await newPage();
  try {
    await signIn(page, stack.adminKey);
    await page.getByRole('link', { name: 'Widget', exact: true }).click();
    await page.getByLabel('Widget', { exact: true }).selectOption({ label: 'Setări' });
    await page.getByLabel('Alert phone').fill('not a phone');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/must be .*E\.164|phone/i).first().waitFor();
    await page.screenshot({ path: path.join(shots, '07-widget-error.png'), fullPage: true });
    assert.equal((await stack.api.get(`/api/widgets/${widget.body.id}`)).body.notifications?.alert_phone, undefined, 'nothing saved');

    await page.getByLabel('Alert phone').fill('+40722000111');
    await page.getByRole('button', { name: 'Save' }).click();
    await eventually(async () => {
      const saved = (await stack.api.get(`/api/widgets/${widget.body.id}`)).body;
      return saved.knowledge_base[0].answer === demoKnowledge[0]!.answer && saved.notifications?.alert_phone === '+40722000111';
    }, 10_000, 'the saved widget');

    // Emptying the field removes the phone.
    await page.getByText('Saved.').waitFor();
    await page.getByLabel('Alert phone').fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    await eventually(async () => !('alert_phone' in ((await stack.api.get(`/api/widgets/${widget.body.id}`)).body.notifications ?? {})), 10_000, 'the phone removed');
  } finally {
    await page.close();
  }
});

test('the Widget screen puts the widget on a site: allowed origins, greeting, the script tag to copy, and Try it opens the demo page where it answers', async () => {
  const widget = await stack.api.post('/api/widgets', { name: 'Site Nou', knowledge_base: demoKnowledge });
  const own = new URL(stack.apiUrl!).origin;
  // Tall enough for the Website section's screenshot to fit under the sticky top bar.
  const context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: own });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  // What a visitor's browser would complain about on the demo page (its icon, its calls): nothing.
  const demoErrors: string[] = [];
  context.on('console', (message) => {
    if (message.type() === 'error' && message.page() !== page) demoErrors.push(`${message.text()} (${JSON.stringify(message.location())})`);
  });
  try {
    await signIn(page, stack.adminKey);
    await page.getByRole('link', { name: 'Widget', exact: true }).click();
    await page.getByLabel('Widget', { exact: true }).selectOption({ label: 'Site Nou' });

    const tag = `<script src="${own}/widget.js" data-widget="${widget.body.id}" async></script>`;
    assert.equal(await page.getByLabel('Script tag for your site').inputValue(), tag);
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByText('Copied.').waitFor();
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), tag);

    // Nothing allowed yet: the screen says the demo page would be refused, and offers to allow it.
    await page.getByText(`The demo page is on ${own}, which this widget does not allow yet`).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole('group', { name: 'Website' }).screenshot({ path: path.join(shots, '10-widget-website-new.png') });
    await page.getByLabel('Allowed origins').fill('ftp://shop.example');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/Line 1: must be an origin/).waitFor();
    assert.deepEqual((await stack.api.get(`/api/widgets/${widget.body.id}`)).body.allowed_origins, [], 'nothing saved');

    // A page's full address is cut to its origin.
    await page.getByLabel('Allowed origins').fill('https://shop.example/contact?x=1');
    await page.getByRole('button', { name: `Add ${own} to the allowed origins` }).click();
    await page.getByText('save to allow it').waitFor();
    await page.getByLabel('Greeting').fill('Bună! Sunt Caty de la Site Nou: întrebați-mă despre livrare.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    const saved = (await stack.api.get(`/api/widgets/${widget.body.id}`)).body;
    assert.deepEqual(saved.allowed_origins, ['https://shop.example', own]);
    assert.deepEqual(saved.greeting, { text: 'Bună! Sunt Caty de la Site Nou: întrebați-mă despre livrare.' });
    assert.equal(await page.getByText('which this widget does not allow yet').count(), 0);
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole('group', { name: 'Website' }).screenshot({ path: path.join(shots, '10-widget-website.png') });

    // Try it: the demo page for this widget, greeting first, then an answer.
    const [demo] = await Promise.all([page.waitForEvent('popup'), page.getByRole('link', { name: 'Try it' }).click()]);
    demo.setDefaultTimeout(15_000);
    assert.equal(new URL(demo.url()).pathname + new URL(demo.url()).search, `/demo?widget=${widget.body.id}`);
    await demo.getByRole('heading', { name: 'Site Nou' }).waitFor();
    await demo.getByRole('button', { name: 'Open chat with Caty' }).click();
    await demo.getByText('Bună! Sunt Caty de la Site Nou: întrebați-mă despre livrare.').waitFor();
    await demo.getByLabel('Message', { exact: true }).fill('Cat costa livrarea?');
    await demo.getByRole('button', { name: 'Send' }).click();
    await demo.getByText('Livrarea costă 15 lei, gratuită peste 200 lei.').waitFor();
    await demo.screenshot({ path: path.join(shots, '11-try-it.png') });
    // Both pages name an icon that is there (a browser asks for /favicon.ico otherwise, and logs its 404).
    for (const shown of [page, demo]) {
      const icon = await shown.locator('link[rel=icon]').getAttribute('href');
      assert.ok(icon, `${shown.url()} names its icon`);
      const answer = await shown.request.get(new URL(icon, shown.url()).href);
      assert.equal(answer.status(), 200);
      assert.equal(answer.headers()['content-type'], 'image/svg+xml');
    }
    // As a visitor who comes back to the page: it loads again without an error in the console.
    await demo.reload();
    await demo.getByRole('button', { name: 'Open chat with Caty' }).waitFor();
    assert.deepEqual(demoErrors, []);
  } finally {
    await context.close();
  }
});

test('webhooks: add one and see it listed', async () => {
  const widget = await stack.api.post('/api/widgets', { name: 'Cârlige' });
  const page = await newPage();
  try {
    await signIn(page, stack.adminKey);
    await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    await page.getByLabel('Widget').selectOption({ label: 'Cârlige' });
    await page.getByLabel('URL').fill('http://127.0.0.1:9/caty-hook');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await page.getByText('http://127.0.0.1:9/caty-hook').first().waitFor();
    const listed = (await stack.api.get(`/api/widgets/${widget.body.id}/webhooks`)).body;
    assert.equal((Array.isArray(listed) ? listed : listed.webhooks).length, 1);
    await page.screenshot({ path: path.join(shots, '08-webhooks.png'), fullPage: true });
  } finally {
    await page.close();
  }
});

test('a qr_first number shows the deep-link QR to print, downloadable as SVG and PNG', async () => {
  const { businessPhone } = await connectedWidget(stack.api, { channelType: 'qr_first', widget: { name: 'Tipărit' } });
  const svg = await fetch(`${stack.apiUrl}/api/whatsapp/links/${encodeURIComponent(businessPhone)}/deep-link.svg?ref=flyer-mai`, { headers: { authorization: `Bearer ${stack.adminKey}` } });
  assert.equal(svg.status, 200);
  assert.match(svg.headers.get('content-type')!, /image\/svg\+xml/);
  assert.match(await svg.text(), /<svg/);
  const png = await fetch(`${stack.apiUrl}/api/whatsapp/links/${encodeURIComponent(businessPhone)}/deep-link.png`, { headers: { authorization: `Bearer ${stack.adminKey}` } });
  assert.deepEqual([...new Uint8Array(await png.arrayBuffer()).slice(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'a PNG');
  assert.equal((await stack.api.get(`/api/whatsapp/links/${encodeURIComponent(businessPhone)}/deep-link.svg?ref=bad%20ref`)).status, 400);

  const page = await newPage();
  try {
    await signIn(page, stack.adminKey);
    await page.getByRole('link', { name: 'Integrations', exact: true }).click();
    const printable = page.getByRole('img', { name: 'QR code to print' }).first();
    await printable.waitFor();
    await page.getByText(`https://wa.me/${businessPhone.slice(1)}?text=ref%3Aqr`).first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download PNG' }).first().click()]);
    assert.match(download.suggestedFilename(), /\.png$/);
    await page.screenshot({ path: path.join(shots, '09-qr-first.png'), fullPage: true });
  } finally {
    await page.close();
  }
});
