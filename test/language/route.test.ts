import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { ZodError } from 'zod';
import { LocalLanguageDetector } from '../../activities/language/local.js';
import { languageRoutes } from '../../api/routes/language.js';

let server: Server;
let base: string;

before(async () => {
  const app = new Koa();
  // Stand-ins for the app's own body parser and error format, which live outside this module.
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (!(error instanceof ZodError)) throw error;
      ctx.status = 400;
      ctx.body = { error: { code: 'validation_error', message: 'invalid body', details: error.issues } };
    }
  });
  app.use(async (ctx, next) => {
    let raw = '';
    for await (const chunk of ctx.req) raw += chunk;
    (ctx.request as { body?: unknown }).body = raw === '' ? undefined : JSON.parse(raw);
    await next();
  });
  const router = languageRoutes({ detector: new LocalLanguageDetector() });
  app.use(router.routes()).use(router.allowedMethods());
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function detect(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${base}/api/language/detect`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

test('POST /api/language/detect answers language, confidence and detector', async () => {
  const { status, json } = await detect({ text: 'Vreau sa vorbesc cu un om' });
  assert.equal(status, 200);
  assert.equal(json.language, 'ro');
  assert.equal(typeof json.confidence, 'number');
  assert.ok((json.confidence as number) > 0 && (json.confidence as number) <= 1);
  assert.equal(json.detector, 'local');
  assert.deepEqual(Object.keys(json).sort(), ['confidence', 'detector', 'language']);
});

test('previous is the conversation language the policy keeps for ambiguous messages', async () => {
  assert.equal((await detect({ text: 'ok merci', previous: 'fr' })).json.language, 'fr');
  assert.equal((await detect({ text: 'ok merci', previous: 'FR' })).json.language, 'fr');
  assert.equal((await detect({ text: 'ok merci' })).json.language, 'ro');
  const cyrillic = await detect({ text: 'да', previous: 'ro' });
  assert.equal(cyrillic.json.language, 'ru');
});

test('bad input is a validation error', async () => {
  for (const body of [
    {},
    { text: '' },
    { text: 42 },
    { text: 'x'.repeat(4097) },
    { text: 'hello', previous: 'rom' },
    { text: 'hello', previous: 'r1' },
    { text: 'hello', previous: 7 },
  ]) {
    const { status, json } = await detect(body);
    assert.equal(status, 400, JSON.stringify(body).slice(0, 60));
    assert.equal((json.error as { code: string }).code, 'validation_error');
  }
  assert.equal((await detect({ text: 'x'.repeat(4096) })).status, 200);
});
