import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { startOtherSite, startTestSite, textDocx, textPdf, type TestSite } from './site.js';

let stack: TestStack;
let site: TestSite;
let other: Awaited<ReturnType<typeof startOtherSite>>;
let widgetId: string;

before(async () => {
  // The restart test stops the worker as its next task may already wait on that worker's sticky
  // queue, where the server holds it for this long before giving it to the new one (10 s by default).
  stack = await startTestStack({ env: { CATY_STICKY_QUEUE_TIMEOUT_MS: '2000' } });
  other = await startOtherSite();
  site = await startTestSite(other.origin);
  site.pages.set('/guide.pdf', { type: 'application/pdf', body: await textPdf('Warranty guide', ['Every garden tool comes with a warranty of 3 years.', 'Keep the receipt to claim the warranty.']) });
  const widget = await stack.api.post('/api/widgets', { name: 'Green Leaf', default_language: 'en' });
  widgetId = widget.body.id;
});

after(async () => {
  await site?.stop();
  await other?.stop();
  await stack?.stop();
});

async function settled(sourceId: string) {
  return eventually(async () => {
    const source = await stack.api.get(`/api/sources/${sourceId}`);
    return source.body.status === 'ready' || source.body.status === 'failed' ? source.body : undefined;
  }, 30_000, `source ${sourceId} to finish`);
}

test('a website is crawled: same origin, robots.txt obeyed, sitemap read, redirects, 404 and non-text pages recorded', async () => {
  const created = await stack.api.post(`/api/widgets/${widgetId}/sources`, { type: 'website', url: `${site.origin}/` });
  assert.equal(created.status, 202, JSON.stringify(created.body));
  assert.match(created.body.id, /^src_/);
  assert.equal(created.body.status, 'queued');
  const source = await settled(created.body.id);
  assert.equal(source.status, 'ready', JSON.stringify(source));
  const byPath = new Map<string, { status: string; error?: string; passages: number }>(source.pages.map((p: { url: string }) => [new URL(p.url).pathname, p]));
  for (const path of ['/', '/delivery', '/hours', '/orphan', '/guide.pdf']) assert.equal(byPath.get(path)?.status, 'indexed', path);
  assert.ok(byPath.get('/guide.pdf')!.passages > 0);
  assert.equal(byPath.get('/missing')?.status, 'failed');
  assert.match(byPath.get('/missing')!.error!, /404/);
  assert.equal(byPath.get('/old-hours')?.status, 'skipped');
  assert.match(byPath.get('/old-hours')!.error!, /redirects to .*\/hours/);
  assert.equal(byPath.get('/brochure')?.status, 'skipped');
  assert.match(byPath.get('/brochure')!.error!, /not a text document \(image\/jpeg\)/);
  assert.equal(byPath.get('/private/prices')?.status, 'skipped', 'a link robots.txt forbids is listed');
  assert.match(byPath.get('/private/prices')!.error!, /robots\.txt disallows it/);
  assert.ok(!site.requests.some((p) => p.startsWith('/private')), `robots.txt forbids /private: ${site.requests.join(' ')}`);
  assert.deepEqual(other.requests, [], 'another origin is never requested');
  assert.equal(source.pages_done, source.pages_total);
  assert.ok(source.passages >= 5);
});

async function ask(question: string, language = 'en') {
  const response = await stack.api.post(`/api/widgets/${widgetId}/knowledge/try`, { question, language });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.answer as { text: string; language: string; source: { kind: string; url?: string; title?: string } } | null;
}

let websiteId: string;

test('passages answer what no typed entry does, from pages and the PDF, with the sentences that answer and the link', async () => {
  websiteId = (await stack.api.get(`/api/widgets/${widgetId}/sources`)).body.sources[0].id;
  const delivery = await ask('How much does delivery cost?');
  assert.match(delivery!.text, /Delivery costs 25 lei/);
  assert.match(delivery!.text, new RegExp(`${site.origin}/delivery$`), 'the page link ends the reply');
  assert.ok(delivery!.text.length < 500, 'short, for WhatsApp');
  assert.doesNotMatch(delivery!.text, /cookies|Orchard Road/, 'no banner or footer');
  assert.deepEqual(delivery!.source, { kind: 'passage', url: `${site.origin}/delivery`, title: 'Delivery' });
  assert.match((await ask('when are you open on saturday'))!.text, /Monday to Saturday from 8:00 to 19:00/);
  assert.match((await ask('is there a warranty on garden tools?'))!.text, /warranty of 3 years/);
  assert.match((await ask('do you have workshops for repotting orchids?'))!.text, /second Saturday/, 'the orphan page from the sitemap answers');
  assert.equal(await ask('do you sell second-hand cars?'), null, 'nothing on the site covers it');
  // Typed entries first: an entry on the same topic wins over the page.
  await stack.api.put(`/api/widgets/${widgetId}/knowledge`, [{ question: 'How much does delivery cost?', answer: 'Typed: delivery is 25 lei.' }]);
  assert.deepEqual((await ask('how much does delivery cost'))!.source, { kind: 'entry', question: 'How much does delivery cost?' });
  await stack.api.put(`/api/widgets/${widgetId}/knowledge`, []);
});

test('a customer on WhatsApp gets the passage and the link; questions nothing answers are listed, grouped', async () => {
  const channel = await stack.api.post('/api/whatsapp/channels', { provider: 'sandbox' });
  const businessPhone = '+40700000777';
  await stack.api.post(`/api/whatsapp/sandbox/channels/${channel.body.id}/scan`, { phone: businessPhone });
  const link = await stack.api.post('/api/whatsapp/links', { widget_id: widgetId, whatsapp_channel: 'web', phone: businessPhone });
  assert.equal(link.status, 201, JSON.stringify(link.body));
  const customers = ['+40721000001', '+40721000002'];
  const say = (from: string, text: string) => stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from, text });
  await say(customers[0]!, 'Hello, how much is delivery?');
  await say(customers[0]!, 'Do you repair lawn mowers?');
  await say(customers[1]!, 'do you fix lawn mowers');
  const replies = await eventually(async () => {
    const outbox = await stack.api.get(`/api/whatsapp/sandbox/outbox?phone=${encodeURIComponent(customers[0]!)}`);
    return outbox.body.length >= 2 ? outbox.body : undefined;
  }, 20_000, 'two replies');
  assert.match(replies[0].text, /Delivery costs 25 lei[\s\S]*\/delivery/);
  const unanswered = await eventually(async () => {
    const response = await stack.api.get(`/api/widgets/${widgetId}/unanswered`);
    return response.body.questions.find((q: { count: number }) => q.count === 2);
  }, 20_000, 'the lawn mower questions grouped');
  assert.match(unanswered.question, /lawn mowers/i);
  assert.equal(unanswered.examples.length, 1);
  assert.ok(!Number.isNaN(Date.parse(unanswered.latest_at)));

  // Answered with a typed entry (as "Add an answer" does), the question leaves the list.
  await stack.api.put(`/api/widgets/${widgetId}/knowledge`, [{ question: unanswered.question, answer: 'Yes, in our workshop.' }]);
  const after = await stack.api.get(`/api/widgets/${widgetId}/unanswered`);
  assert.ok(!after.body.questions.some((q: { question: string }) => /lawn mowers/i.test(q.question)), JSON.stringify(after.body));
  await stack.api.put(`/api/widgets/${widgetId}/knowledge`, []);
});

test('a file: an uploaded Markdown and a Word document answer, a scanned PDF fails with the reason, an image is refused', async () => {
  const upload = (filename: string, type: string, body: string | Buffer) =>
    stack.api.request('POST', `/api/widgets/${widgetId}/sources/files?filename=${encodeURIComponent(filename)}`, body, { 'content-type': type, 'content-length': String(Buffer.byteLength(body)) });
  const markdown = await upload('loyalty.md', 'text/markdown', '# Loyalty card\n\nWith the Green Leaf loyalty card every tenth bag of compost is free.\n');
  assert.equal(markdown.status, 202, JSON.stringify(markdown));
  assert.equal((await settled(markdown.body.id)).status, 'ready');
  const answer = await ask('how does the loyalty card work?');
  assert.match(answer!.text, /every tenth bag of compost is free/);
  assert.match(answer!.text, /loyalty/i);

  const docx = await upload('repairs.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', await textDocx('Repairs', ['Lawn mowers are repaired in our workshop within five working days.', 'Bring the mower with an empty fuel tank.']));
  assert.equal(docx.status, 202, JSON.stringify(docx));
  const repairs = await settled(docx.body.id);
  assert.equal(repairs.status, 'ready', JSON.stringify(repairs));
  assert.ok(repairs.passages > 0, JSON.stringify(repairs));
  assert.match((await ask('how long does a lawn mower repair take?'))!.text, /within five working days/);

  const { scannedPdf } = await import('./site.js');
  const scanned = await upload('catalogue.pdf', 'application/pdf', await scannedPdf());
  assert.equal(scanned.status, 202);
  const failed = await settled(scanned.body.id);
  assert.equal(failed.status, 'failed');
  assert.match(failed.error, /no text can be read from this PDF/);
  assert.equal(failed.passages, 0);

  const image = await upload('photo.png', 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
  assert.equal(image.status, 415, JSON.stringify(image.body));
});

test('a sync reads a changed page again, skips an unchanged one, and drops a page gone from the site', async () => {
  const before = await stack.api.get(`/api/sources/${websiteId}`);
  site.pages.set('/delivery', { type: 'text/html', body: (await import('./site.js')).page('Delivery', '<h1>Delivery</h1><h2>Delivery costs</h2><p>Delivery now costs 19 lei everywhere.</p>', 'http://127.0.0.1:9') });
  site.pages.delete('/orphan');
  const sync = await stack.api.post(`/api/sources/${websiteId}/sync`);
  assert.equal(sync.status, 202);
  const after = await eventually(async () => {
    const source = (await stack.api.get(`/api/sources/${websiteId}`)).body;
    return source.status === 'ready' && source.last_synced_at !== before.body.last_synced_at ? source : undefined;
  }, 30_000, 'the second sync');
  const status = (path: string) => after.pages.find((p: { url: string }) => new URL(p.url).pathname === path)?.status;
  assert.equal(status('/delivery'), 'indexed');
  assert.equal(status('/hours'), 'unchanged');
  assert.equal(status('/guide.pdf'), 'unchanged');
  assert.equal(status('/orphan'), undefined, 'gone from the site and its sitemap');
  assert.match((await ask('How much does delivery cost?'))!.text, /19 lei/);
  assert.equal(await ask('do you have workshops for repotting orchids?'), null);
});

test('a removed source answers nothing from the moment DELETE returns', async () => {
  assert.notEqual(await ask('when are you open on saturday'), null);
  const removed = await stack.api.request('DELETE', `/api/sources/${websiteId}`);
  assert.equal(removed.status, 204);
  assert.equal(await ask('when are you open on saturday'), null);
  assert.equal((await stack.api.get(`/api/sources/${websiteId}`)).status, 404);
});

test('a crawl interrupted by a worker restart finishes where it was', async () => {
  const slow = await startTestSite(other.origin);
  try {
    slow.latencyMs = 150;
    slow.pages.clear();
    const chain = Array.from({ length: 12 }, (_, i) => `/article-${i}`);
    slow.pages.set('/', { type: 'text/html', body: `<html><body><main><p>Index of articles about tomatoes.</p><a href="${chain[0]}">first</a></main></body></html>` });
    chain.forEach((path, i) => {
      const next = chain[i + 1] ? `<a href="${chain[i + 1]}">next</a>` : '';
      slow.pages.set(path, { type: 'text/html', body: `<html><head><title>Article ${i}</title></head><body><main><p>Tomato growing tip number ${i}: water the seedlings of variety ${i} every morning.</p>${next}</main></body></html>` });
    });
    const created = await stack.api.post(`/api/widgets/${widgetId}/sources`, { type: 'website', url: `${slow.origin}/` });
    await eventually(async () => ((await stack.api.get(`/api/sources/${created.body.id}`)).body.pages_done >= 4 ? true : undefined), 20_000, 'a few pages');
    await stack.stopWorker();
    const paused = (await stack.api.get(`/api/sources/${created.body.id}`)).body;
    assert.equal(paused.status, 'running');
    assert.ok(paused.pages_done < 13, `stopped mid-crawl (${paused.pages_done} pages)`);
    await stack.startWorker();
    const done = await settled(created.body.id);
    assert.equal(done.status, 'ready');
    assert.equal(done.pages.filter((p: { status: string }) => p.status === 'indexed').length, 13);
    const fetched = slow.requests.filter((p) => p.startsWith('/article-'));
    assert.equal(new Set(fetched).size, 12);
    assert.ok(fetched.length <= 13, `pages are not fetched again after the restart (${fetched.length} requests)`);
  } finally {
    await slow.stop();
  }
});
