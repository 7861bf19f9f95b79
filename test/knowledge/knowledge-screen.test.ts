import assert from 'node:assert/strict';
import { axeViolations } from '../support/axe.js';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { startOtherSite, startTestSite, textPdf, type TestSite } from './site.js';

// The Knowledge screen in Chromium against the real stack; screenshots go to test-results/knowledge.
const shots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results/knowledge');

let stack: TestStack;
let browser: Browser;
let site: TestSite;
let other: Awaited<ReturnType<typeof startOtherSite>>;

before(async () => {
  await mkdir(shots, { recursive: true });
  stack = await startTestStack();
  browser = await launchChromium();
  other = await startOtherSite();
  site = await startTestSite(other.origin);
  site.pages.set('/guide.pdf', { type: 'application/pdf', body: await textPdf('Warranty guide', ['Every garden tool comes with a warranty of 3 years.']) });
});
after(async () => {
  await browser?.close();
  await site?.stop();
  await other?.stop();
  await stack?.stop();
});


test('Knowledge: add a website, watch it read, try a question, answer an unanswered one, edit typed answers; no axe violations', async () => {
  const widget = await stack.api.post('/api/widgets', { name: 'Green Leaf', default_language: 'en', knowledge_base: [{ question: 'Do you sell seeds?', answer: 'Yes, over 200 kinds.', translations: { ro: { question: 'Vindeți semințe?', answer: 'Da, peste 200 de feluri.' } } }] });
  // A question nothing answers, as a customer asked it, for the unanswered list.
  await stack.db.insertInto('unanswered_questions').values({ widget_id: widget.body.id, conversation_id: 'conv_x', message_id: 'm1', text: 'Do you repair lawn mowers?', language: 'en', terms: ['repai', 'lawn', 'mower'] }).execute();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(15_000);
  try {
    site.latencyMs = 250;
    await page.goto(`${stack.apiUrl}/`);
    await page.getByLabel('API key').fill(stack.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Knowledge', exact: true }).click();
    await page.getByLabel('Widget', { exact: true }).selectOption({ label: 'Green Leaf' });
    await page.getByLabel('Website address').fill(`${site.origin}/`);
    await page.getByRole('button', { name: 'Add website' }).click();
    await page.getByRole('progressbar').waitFor();
    await page.screenshot({ path: path.join(shots, '01-reading.png'), fullPage: true });
    site.latencyMs = 0;
    await page.getByText('Ready', { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Show pages' }).click();
    await page.getByText('the site answered HTTP 404').waitFor();
    await page.getByText('not a text document (image/jpeg)').waitFor();
    await page.getByText("the site's robots.txt disallows it (not requested)").waitFor();

    await page.getByLabel('Question', { exact: true }).fill('How much does delivery cost?');
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.locator('.try-answer').getByText(/Delivery costs 25 lei/).waitFor();
    assert.equal(await page.locator('.try-answer a').getAttribute('href'), `${site.origin}/delivery`);

    await page.getByRole('button', { name: 'Add an answer: Do you repair lawn mowers?' }).click();
    await page.getByLabel('Answer to “Do you repair lawn mowers?”').fill('Yes, in our workshop, within a week.');
    await page.getByRole('button', { name: 'Save answer' }).click();
    await eventually(async () => (await stack.api.get(`/api/widgets/${widget.body.id}`)).body.knowledge_base.length === 2, 10_000, 'the new typed answer');
    const saved = (await stack.api.get(`/api/widgets/${widget.body.id}`)).body.knowledge_base;
    assert.deepEqual(saved[1], { question: 'Do you repair lawn mowers?', answer: 'Yes, in our workshop, within a week.' });
    assert.deepEqual(saved[0].translations.ro, { question: 'Vindeți semințe?', answer: 'Da, peste 200 de feluri.' }, 'translations kept');
    // Answered, the question leaves the list of what Caty could not answer.
    await page.getByRole('button', { name: 'Add an answer: Do you repair lawn mowers?' }).waitFor({ state: 'detached' });
    await page.getByText('None in the last 30 days.').waitFor();

    await page.getByLabel('Other ways to ask question 1').fill('Do you have seeds?\nSeeds for sale?');
    await page.getByLabel('Translated answer').fill('Da, peste 300 de feluri.');
    await page.getByRole('button', { name: 'Save typed answers' }).click();
    await page.getByText('Saved.').waitFor();
    const edited = (await stack.api.get(`/api/widgets/${widget.body.id}`)).body.knowledge_base[0];
    assert.deepEqual(edited.alternatives, ['Do you have seeds?', 'Seeds for sale?']);
    assert.equal(edited.translations.ro.answer, 'Da, peste 300 de feluri.');
    await page.screenshot({ path: path.join(shots, '02-knowledge.png'), fullPage: true });
    assert.deepEqual(await axeViolations(page), []);

    await page.getByRole('button', { name: `Remove ${site.origin}/` }).click();
    await page.getByText('Nothing yet: add your website or a document.').waitFor();
    assert.deepEqual((await stack.api.get(`/api/widgets/${widget.body.id}/sources`)).body.sources, []);
  } finally {
    await page.close();
  }
});
