import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ComprehendLanguageDetector } from '../../activities/language/comprehend.js';
import { createLanguageDetector } from '../../activities/language/index.js';
import { LocalLanguageDetector } from '../../activities/language/local.js';

/**
 * A loopback server speaking Comprehend's JSON 1.1 protocol, so the real AWS SDK (signing,
 * serialisation, error parsing, timeouts) runs end to end without AWS.
 */
interface Received {
  target: string | undefined;
  contentType: string | undefined;
  authorization: string | undefined;
  body: { Text?: string };
}

type Reply = (req: IncomingMessage, res: ServerResponse, received: Received) => void;

let server: Server;
let endpoint: string;
let received: Received[] = [];
let reply: Reply;
const openSockets = new Set<import('node:net').Socket>();

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'test-request' });
  res.end(JSON.stringify(body));
}

const answer = (code: string, score: number): Reply => (_req, res) => json(res, 200, { Languages: [{ LanguageCode: code, Score: score }] });

before(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const entry: Received = {
        target: req.headers['x-amz-target'] as string | undefined,
        contentType: req.headers['content-type'],
        authorization: req.headers.authorization,
        body: raw === '' ? {} : (JSON.parse(raw) as { Text?: string }),
      };
      received.push(entry);
      reply(req, res, entry);
    });
  });
  server.on('connection', (socket) => {
    openSockets.add(socket);
    socket.on('close', () => openSockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  for (const socket of openSockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received = [];
  reply = answer('ro', 0.99);
});

const local = new LocalLanguageDetector();

function comprehend(options: Partial<ConstructorParameters<typeof ComprehendLanguageDetector>[0]> = {}) {
  return new ComprehendLanguageDetector({
    fallback: local,
    region: 'eu-central-1',
    endpoint,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    timeoutMs: 1000,
    ...options,
  });
}

const longRomanian = 'Buna ziua, as dori sa stiu cand ajunge coletul meu';

test('a long message is sent to DetectDominantLanguage and its answer returned', async () => {
  const detector = comprehend();
  try {
    const detection = await detector.detect(longRomanian);
    assert.deepEqual(detection, { language: 'ro', confidence: 0.99, detector: 'comprehend' });
    assert.equal(received.length, 1);
    assert.equal(received[0]!.target, 'Comprehend_20171127.DetectDominantLanguage');
    assert.match(received[0]!.contentType ?? '', /application\/x-amz-json-1\.1/);
    assert.match(received[0]!.authorization ?? '', /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-central-1\/comprehend\//);
    assert.equal(received[0]!.body.Text, longRomanian);
  } finally {
    await detector.close();
  }
});

test('the same text is answered from the cache without a second call', async () => {
  const detector = comprehend();
  try {
    await detector.detect(longRomanian);
    const again = await detector.detect(`  ${longRomanian} `);
    assert.equal(again.detector, 'comprehend');
    assert.equal(received.length, 1);
  } finally {
    await detector.close();
  }
});

test('the cache forgets its least recently used text beyond its size', async () => {
  const detector = comprehend({ cacheSize: 2 });
  try {
    await detector.detect('first message that is long enough');
    await detector.detect('second message that is long enough');
    await detector.detect('first message that is long enough');
    await detector.detect('third message that is long enough');
    await detector.detect('first message that is long enough');
    assert.equal(received.length, 3);
    await detector.detect('second message that is long enough');
    assert.equal(received.length, 4);
  } finally {
    await detector.close();
  }
});

test('short messages are decided locally and never sent', async () => {
  const detector = comprehend();
  try {
    const detection = await detector.detect('ok merci, pa');
    assert.equal(detection.detector, 'local');
    const cyrillic = await detector.detect('спасибо большое');
    assert.equal(cyrillic.language, 'ru');
    assert.equal(cyrillic.detector, 'local');
    assert.equal(received.length, 0);
  } finally {
    await detector.close();
  }
});

test('every language Comprehend names is taken (its best), regional tags as their base; none at all falls back to local', async () => {
  const detector = comprehend();
  try {
    reply = (_req, res) =>
      json(res, 200, { Languages: [{ LanguageCode: 'ca', Score: 0.8 }, { LanguageCode: 'es', Score: 0.15 }] });
    const catalan = await detector.detect('hola, quant costa l\'enviament a Barcelona?');
    assert.deepEqual(catalan, { language: 'ca', confidence: 0.8, detector: 'comprehend' });

    // A language beyond the local detector's sixty, in the detector's own code.
    reply = (_req, res) => json(res, 200, { Languages: [{ LanguageCode: 'sw', Score: 0.93 }] });
    const swahili = await detector.detect('habari, mnatuma bidhaa hadi Nairobi?');
    assert.deepEqual(swahili, { language: 'sw', confidence: 0.93, detector: 'comprehend' });

    reply = (_req, res) => json(res, 200, { Languages: [{ LanguageCode: 'zh-TW', Score: 0.97 }] });
    const chinese = await detector.detect('請問這個商品什麼時候可以寄到台北呢謝謝你們');
    assert.deepEqual(chinese, { language: 'zh', confidence: 0.97, detector: 'comprehend' });

    reply = (_req, res) => json(res, 200, { Languages: [] });
    const unknown = await detector.detect('Ich habe vor einer Woche bestellt und noch nichts bekommen');
    assert.equal(unknown.detector, 'local');
    assert.equal(unknown.language, 'de');
  } finally {
    await detector.close();
  }
});

test('a throttled call falls back to the local detector and pauses Comprehend for a while', async () => {
  const detector = comprehend({ throttleCooldownMs: 60_000 });
  try {
    reply = (_req, res) => json(res, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
    const detection = await detector.detect('Ich habe vor einer Woche bestellt und noch nichts bekommen');
    assert.equal(detection.detector, 'local');
    assert.equal(detection.language, 'de');
    assert.equal(received.length, 1, 'one attempt: the local detector is the retry');

    reply = answer('ro', 0.99);
    const during = await detector.detect('Am comandat ieri si inca nu am primit niciun email');
    assert.equal(during.detector, 'local');
    assert.equal(during.language, 'ro');
    assert.equal(received.length, 1, 'no call while paused');
  } finally {
    await detector.close();
  }
});

test('a server error falls back to local and does not pause Comprehend', async () => {
  const detector = comprehend();
  try {
    reply = (_req, res) => json(res, 500, { __type: 'InternalServerException', message: 'boom' });
    const detection = await detector.detect('vorrei annullare il mio ordine, per favore');
    assert.deepEqual([detection.language, detection.detector], ['it', 'local']);
    reply = answer('it', 0.98);
    const next = await detector.detect('vorrei restituire il prodotto, non va bene');
    assert.equal(next.detector, 'comprehend');
    assert.equal(received.length, 2);
  } finally {
    await detector.close();
  }
});

test('a slow Comprehend is abandoned at the timeout and the local detector answers', async () => {
  const detector = comprehend({ timeoutMs: 200 });
  const timers: NodeJS.Timeout[] = [];
  try {
    reply = (_req, res) => timers.push(setTimeout(() => json(res, 200, { Languages: [{ LanguageCode: 'en', Score: 1 }] }), 3000));
    const started = Date.now();
    const detection = await detector.detect('Ik wil mijn bestelling annuleren alstublieft');
    const elapsed = Date.now() - started;
    assert.deepEqual([detection.language, detection.detector], ['nl', 'local']);
    assert.ok(elapsed < 2000, `answered after ${elapsed} ms`);
  } finally {
    timers.forEach(clearTimeout);
    await detector.close();
  }
});

test('createLanguageDetector builds Comprehend from the config, with the standard credential chain', async () => {
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  process.env.AWS_ACCESS_KEY_ID = 'AKIDFROMENV';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret-from-env';
  const detector = createLanguageDetector({
    LANGUAGE_DETECTOR: 'comprehend',
    AWS_REGION: 'us-east-1',
    COMPREHEND_ENDPOINT: endpoint,
  });
  try {
    assert.equal(detector.name, 'comprehend');
    reply = answer('pt', 0.95);
    const detection = await detector.detect('ainda nao recebi o codigo de rastreio do pedido');
    assert.deepEqual(detection, { language: 'pt', confidence: 0.95, detector: 'comprehend' });
    assert.match(received[0]!.authorization ?? '', /Credential=AKIDFROMENV\/\d{8}\/us-east-1\/comprehend\//);
    assert.equal(createLanguageDetector({ LANGUAGE_DETECTOR: 'local', AWS_REGION: undefined, COMPREHEND_ENDPOINT: undefined }).name, 'local');
  } finally {
    await (detector as ComprehendLanguageDetector).close();
    restore('AWS_ACCESS_KEY_ID', saved.id);
    restore('AWS_SECRET_ACCESS_KEY', saved.secret);
  }
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
