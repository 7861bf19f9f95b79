import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { startOtherSite, startTestSite, textPdf, type TestSite } from './site.js';

let stack: TestStack;
let site: TestSite;
let other: Awaited<ReturnType<typeof startOtherSite>>;
let widgetId: string;

before(async () => {
  stack = await startTestStack();
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
  assert.ok(!byPath.has('/private/prices'));
  assert.ok(!site.requests.some((p) => p.startsWith('/private')), `robots.txt forbids /private: ${site.requests.join(' ')}`);
  assert.deepEqual(other.requests, [], 'another origin is never requested');
  assert.equal(source.pages_done, source.pages_total);
  assert.ok(source.passages >= 5);
});
