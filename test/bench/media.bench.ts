/**
 * `npm run bench:media`: what media cost, in figures.
 *
 *   1. Voice notes: BENCH_VOICE_NOTES (20) notes through the sandbox, one at a time, with a loopback
 *      transcriber that answers in BENCH_TRANSCRIBE_MS (300) ms; each note's time from its 202 to
 *      the reply in the outbox (median, max).
 *   2. A BENCH_DOCUMENT_MB (90) MB document both ways, with the API (`api/main.ts`) and the WhatsApp
 *      gateway (as `worker/gateway.ts` runs it, with a fake Baileys socket) each in its own process:
 *      uploaded through `POST /api/media`, sent through Baileys (the gateway reads it from the store
 *      as Baileys' upload does), received through Baileys (downloaded from a loopback WhatsApp media
 *      server, decrypted, stored), and read back through `GET /api/media/:id`. For each step, the
 *      resident memory of the process doing the work, from /proc/<pid>/status: VmRSS before, and
 *      the peak (VmHWM after resetting it through /proc/<pid>/clear_refs, and VmRSS sampled every
 *      20 ms). Each step runs first with a document a tenth of the size: a process that held the
 *      file would grow by about the difference (81 MB) more the second time.
 *
 * The conversation worker, PostgreSQL and Temporal run in or under this process. Linux only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { WAMessage } from '@whiskeysockets/baileys';
import { stableId } from '../../db/ids.js';
import { loadConfig } from '../../config/index.js';
import { freePort } from '../../config/ports.js';
import { replyKey } from '../../workflows/conversation/keys.js';
import { startStack } from '../../worker/stack.js';
import { startFakeOpenAi } from '../support/openai-server.js';
import { connectedWidget, demoKnowledge } from '../support/scenario.js';
import { ApiClient, eventually, TEST_ENCRYPTION_KEY, localServers } from '../support/stack.js';
import { FakeMediaServer } from '../whatsapp/support/fake-media-server.js';
import { fastGatewayEnv } from '../whatsapp/support/env.js';
import { percentile, round } from './figures.js';

const voiceNotes = Number(process.env.BENCH_VOICE_NOTES ?? 20);
const transcribeMs = Number(process.env.BENCH_TRANSCRIBE_MS ?? 300);
const documentMb = Number(process.env.BENCH_DOCUMENT_MB ?? 90);
const root = fileURLToPath(new URL('../../', import.meta.url));
const MB = 1024 * 1024;
const adminKey = 'bench-admin-key-0123456789';
const phoneDigits = '40700000077';

/** A node process of the project (its pid is the process measured: no npm or npx in between). */
function spawnNode(script: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
}

async function status(pid: number): Promise<{ rss: number; hwm: number }> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Resident memory of a process while `work` runs: before, and the peak (VmHWM reset first, and VmRSS sampled). */
async function measured<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; before: number; peak: number; seconds: number; hwmReset: boolean }> {
  // Writing 5 resets the peak to the current size (Linux 4.0+, the process's owner or root); without
  // it VmHWM holds the start-up peak, and only the samples count.
  const hwmReset = await writeFile(`/proc/${pid}/clear_refs`, '5').then(
    () => true,
    () => false,
  );
  const before = (await status(pid)).rss;
  let sampled = before;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      sampled = Math.max(sampled, (await status(pid)).rss);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const started = Date.now();
  const result = await work();
  const seconds = (Date.now() - started) / 1000;
  sampling = false;
  await sampler;
  const { hwm } = await status(pid);
  return { result, before, peak: hwmReset ? Math.max(sampled, hwm) : sampled, seconds, hwmReset };
}

/** The document's bytes: a PDF signature (the upload is sniffed), then random bytes that no layer can compress. */
function document(size: number): Buffer {
  const head = Buffer.from('%PDF-1.7\n');
  return Buffer.concat([head, randomBytes(size - head.length)]);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** POST /api/media with the body streamed in 1 MiB writes, as a client uploading a file does. */
function upload(apiUrl: string, bytes: Buffer, filename: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${apiUrl}/api/media?filename=${filename}`, { method: 'POST', headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/pdf', 'content-length': bytes.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    req.on('error', reject);
    (async () => {
      for (let at = 0; at < bytes.length; at += MB) {
        if (!req.write(bytes.subarray(at, at + MB))) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    })().catch(reject);
  });
}

/** GET /api/media/:id, hashed as it arrives. */
function download(apiUrl: string, id: string): Promise<{ bytes: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${apiUrl}/api/media/${id}`, { headers: { authorization: `Bearer ${adminKey}` } }, (res) => {
        const hash = createHash('sha256');
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          hash.update(c);
          bytes += c.length;
        });
        res.on('end', () => resolve({ bytes, sha256: hash.digest('hex') }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

const mb = (bytes: number) => `${round(bytes / MB)} MB`;

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'caty-bench-media-'));
  await chmod(dataDir, 0o711);
  const transcriber = await startFakeOpenAi({ transcriptionFallback: { delayMs: transcribeMs, text: 'Cat costa livrarea?' } });
  const cdn = new FakeMediaServer();
  await cdn.start();
  const config = loadConfig({ CATY_ADMIN_KEY: adminKey, CATY_SANDBOX: '1', CATY_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, TRANSCRIPTION_PROVIDER: 'openai', OPENAI_BASE_URL: transcriber.baseUrl, OPENAI_API_KEY: 'bench', ...fastGatewayEnv });
  // PostgreSQL, Temporal and the conversation worker (which transcribes) here; the API and the gateway each in their own process.
  const stack = await startStack({ config, dataDir, runWorker: true, gateway: false, ...localServers() });
  const children: ChildProcess[] = [];
  try {
    // Production processes require their secrets; the bench's are fixed for the run.
    const shared = { DATABASE_URL: stack.databaseUrl, TEMPORAL_ADDRESS: stack.temporalAddress, CATY_ADMIN_KEY: adminKey, CATY_DATA_DIR: dataDir, CATY_METRICS_PORT: '0', CATY_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, CATY_VISITOR_TOKEN_KEY: TEST_ENCRYPTION_KEY, CATY_SANDBOX: '1' };
    const port = await freePort();
    const apiProcess = spawnNode('api/main.ts', { ...shared, PORT: String(port) });
    const gatewayProcess = spawnNode('test/bench/support/media-gateway.ts', { ...shared, ...fastGatewayEnv, MEDIA_SERVER_PORT: String(cdn.port), FAKE_PHONE_DIGITS: phoneDigits });
    children.push(apiProcess, gatewayProcess);
    const sent: { bytes: number; sha256: string }[] = [];
    const gatewayReady = new Promise<void>((resolve) => {
      createInterface({ input: gatewayProcess.stdout! }).on('line', (line) => {
        const event = JSON.parse(line) as { event: string; bytes: number; sha256: string };
        if (event.event === 'ready') resolve();
        if (event.event === 'sent') sent.push(event);
      });
    });
    const apiUrl = `http://127.0.0.1:${port}`;
    const api = new ApiClient(apiUrl, adminKey);
    await eventually(async () => (await fetch(`${apiUrl}/healthz`)).ok, 60_000, 'the API process');
    await gatewayReady;

    // 1. Voice notes.
    const { businessPhone } = await connectedWidget(api);
    const answer = demoKnowledge[0]!.answer;
    const note = Buffer.concat([Buffer.from('OggS'), randomBytes(8000)]).toString('base64');
    async function voiceNote(id: string, customer: string): Promise<number> {
      const accepted = await api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, id, media: { kind: 'audio', mime_type: 'audio/ogg', data: note, voice: true } });
      if (accepted.status !== 202) throw new Error(`sandbox answered ${accepted.status}: ${JSON.stringify(accepted.body)}`);
      const acceptedAt = Date.now();
      const reply = await eventually(
        async () => stack.db.selectFrom('sandbox_outbox').select(['text', 'sent_at']).where('idempotency_key', '=', replyKey(id)).executeTakeFirst(),
        30_000,
        `the reply to ${id}`,
      );
      if (reply.text !== answer) throw new Error(`voice note ${id} answered ${JSON.stringify(reply.text)}`);
      return reply.sent_at.getTime() - acceptedAt;
    }
    await voiceNote('voice-warm', '+40745000000');
    const latencies: number[] = [];
    for (let i = 0; i < voiceNotes; i++) latencies.push(await voiceNote(`voice-${i}`, `+407450001${String(i).padStart(2, '0')}`));
    latencies.sort((a, b) => a - b);

    // 2. A document both ways, first a tenth of its size: what a process holds for the file is what grows with it.
    const widget = await api.post('/api/widgets', { name: 'Bench Media', knowledge_base: demoKnowledge });
    const channel = await api.post('/api/whatsapp/channels', { provider: 'baileys' });
    await eventually(async () => (await api.get(`/api/whatsapp/channels/${channel.body.id}/status`)).body.status === 'connected', 30_000, 'the fake socket connected');
    const link = await api.post('/api/whatsapp/links', { widget_id: widget.body.id, whatsapp_channel: 'web', phone: `+${phoneDigits}` });
    if (link.status !== 201) throw new Error(`link: ${link.status} ${JSON.stringify(link.body)}`);

    async function bothWays(size: number, run: number) {
      const outgoing = document(size);
      const up = await measured(apiProcess.pid!, () => upload(apiUrl, outgoing, 'catalog.pdf'));
      if (up.result.status !== 201 || up.result.body.size !== size) throw new Error(`upload: ${up.result.status} ${JSON.stringify(up.result.body)}`);
      const send = await measured(gatewayProcess.pid!, async () => {
        const queued = await api.post('/api/whatsapp/send', { to: `+4074500990${run}`, widget_id: widget.body.id, message: { media: { id: up.result.body.id } } });
        if (queued.status !== 202) throw new Error(`send: ${queued.status} ${JSON.stringify(queued.body)}`);
        return eventually(async () => sent[run], 300_000, 'the document read by the socket');
      });
      if (send.result.bytes !== size || send.result.sha256 !== sha256(outgoing)) throw new Error('the document sent is not the one uploaded');

      const incoming = document(size);
      const stored = await cdn.upload(incoming, 'document');
      const message = {
        key: { remoteJid: `4074500888${run}@s.whatsapp.net`, fromMe: false, id: `3ABENCHDOC${Date.now()}` },
        messageTimestamp: Math.floor(Date.now() / 1000),
        message: {
          documentMessage: {
            url: stored.url,
            directPath: stored.directPath,
            mediaKey: stored.mediaKey,
            mimetype: 'application/pdf',
            fileName: 'comanda.pdf',
            fileLength: stored.fileLength,
            fileSha256: stored.fileSha256,
            fileEncSha256: stored.fileEncSha256,
          },
        },
      } as WAMessage;
      const mediaId = stableId('med', `whatsapp:${channel.body.id}:${message.key.id}`);
      const receive = await measured(gatewayProcess.pid!, async () => {
        gatewayProcess.stdin!.write(`${JSON.stringify({ upsert: message })}\n`);
        return eventually(
          async () => (await stack.db.selectFrom('inbox').select('status').where('message_id', '=', message.key.id!).executeTakeFirst())?.status === 'delivered',
          300_000,
          'the received document stored and delivered',
        );
      });
      const row = await stack.db.selectFrom('media').select(['status', 'size']).where('id', '=', mediaId).executeTakeFirstOrThrow();
      if (row.status !== 'ready' || Number(row.size) !== size) throw new Error(`received document: ${JSON.stringify(row)}`);
      const read = await measured(apiProcess.pid!, () => download(apiUrl, mediaId));
      if (read.result.bytes !== size || read.result.sha256 !== sha256(incoming)) throw new Error('the document read back is not the one received');
      return [
        ['upload, POST /api/media', 'api', up],
        ['send through Baileys', 'gateway', send],
        ['receive through Baileys', 'gateway', receive],
        ['read back, GET /api/media/:id', 'api', read],
      ] as const;
    }
    const small = await bothWays(Math.round((documentMb * MB) / 10), 0);
    const rows = await bothWays(documentMb * MB, 1);

    console.log(`\nvoice notes: ${voiceNotes}, one at a time, transcriber answering in ${transcribeMs} ms; from the 202 to the reply in the outbox`);
    console.log(`  median ${percentile(latencies, 50)} ms, max ${latencies.at(-1)} ms, min ${latencies[0]} ms (each includes the ${transcribeMs} ms transcription)`);
    const how = rows.every(([, , m]) => m.hwmReset) ? 'VmHWM reset before each step, and VmRSS sampled every 20 ms' : 'VmRSS sampled every 20 ms (VmHWM could not be reset)';
    console.log(`\n${documentMb} MB document (media store: ${config.MEDIA_STORE}); resident memory of the process doing the work (${how})`);
    console.log(`  step                           | process | seconds | RSS before | peak RSS | peak - before | the same for ${round(documentMb / 10)} MB`);
    for (const [i, [step, name, m]] of rows.entries()) {
      const control = small[i]![2];
      console.log(
        `  ${step.padEnd(30)} | ${name.padEnd(7)} | ${String(round(m.seconds)).padStart(7)} | ${mb(m.before).padStart(10)} | ${mb(m.peak).padStart(8)} | ${mb(m.peak - m.before).padStart(13)} | ${mb(control.peak - control.before)}`,
      );
    }
    console.log('\nThe machine may be shared: times vary with its load; memory much less.');
    console.log(
      JSON.stringify({
        voice_notes: { count: voiceNotes, transcribe_ms: transcribeMs, median_ms: percentile(latencies, 50), max_ms: latencies.at(-1), min_ms: latencies[0] },
        document_mb: documentMb,
        memory: Object.fromEntries(
          rows.map(([step, name, m], i) => [
            step,
            { process: name, seconds: round(m.seconds), rss_before_mb: round(m.before / MB), peak_rss_mb: round(m.peak / MB), growth_mb: round((m.peak - m.before) / MB), growth_tenth_size_mb: round((small[i]![2].peak - small[i]![2].before) / MB) },
          ]),
        ),
      }),
    );
  } finally {
    for (const child of children) {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    }
    await stack.stop();
    await cdn.stop();
    await transcriber.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
