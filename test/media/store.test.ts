import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { MediaTooLargeError, MediaTypeError } from '../../media/errors.js';
import { MediaLibrary } from '../../media/library.js';
import { createMediaStore } from '../../media/index.js';
import { CHUNK_BYTES } from '../../media/postgres-store.js';
import type { MediaStore } from '../../media/store.js';
import { DEFAULT_ACCOUNT_ID } from '../../api/middleware/auth.js';
import { startS3Server, type S3Server } from '../support/s3-server.js';
import { startTestStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
let s3: S3Server;
before(async () => {
  [stack, s3] = await Promise.all([startTestStack({ runWorker: false, gateway: false }), startS3Server()]);
});
after(async () => {
  await Promise.all([stack?.stop(), s3?.stop()]);
});

/** A PDF of `size` bytes, delivered in chunks of `chunk` bytes; `pulled` counts what the store asked for. */
function pdf(size: number, chunk = 64 * 1024) {
  const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);
  const state = { pulled: 0 };
  async function* stream() {
    for (let at = 0; at < bytes.length; at += chunk) {
      state.pulled += Math.min(chunk, bytes.length - at);
      yield bytes.subarray(at, at + chunk);
    }
  }
  return { bytes, stream, state };
}

async function readBack(library: MediaLibrary, id: string): Promise<Buffer> {
  const row = await library.find(id);
  assert.ok(row);
  return library.readAll(row);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

for (const kind of ['postgres', 's3'] as const) {
  describe(`the ${kind} media store`, () => {
    let store: MediaStore;
    let library: MediaLibrary;
    before(async () => {
      // As the service makes it from its settings (the AWS SDK is imported only for s3).
      store = await createMediaStore({ MEDIA_STORE: kind, S3_BUCKET: s3.bucket, S3_REGION: 'us-east-1', S3_ENDPOINT: s3.endpoint, S3_ACCESS_KEY_ID: 'test', S3_SECRET_ACCESS_KEY: 'test' }, stack.db);
      assert.equal(store.name, kind);
      library = new MediaLibrary(stack.db, store);
    });

    test('streams a file of several chunks (and S3 parts) in and out unchanged', async () => {
      const file = pdf(2 * CHUNK_BYTES + 12_345 + (kind === 's3' ? 6 * 1024 * 1024 : 0));
      const row = await library.save({ accountId: DEFAULT_ACCOUNT_ID, mimeType: 'application/pdf', filename: 'catalogue.pdf', sniff: true, bytes: file.stream() });
      assert.equal(row.status, 'ready');
      assert.equal(Number(row.size), file.bytes.length);
      assert.equal(row.kind, 'document');
      assert.equal(row.store, kind);
      assert.equal(sha(await readBack(library, row.id)), sha(file.bytes));
    });

    test('a file past its limit is refused while it streams, and nothing of it is kept', async () => {
      const file = pdf(8 * 1024 * 1024);
      await assert.rejects(
        library.save({ accountId: DEFAULT_ACCOUNT_ID, mimeType: 'application/pdf', sniff: true, limit: 1024 * 1024, bytes: file.stream() }),
        (error) => error instanceof MediaTooLargeError,
      );
      // Stopped right after the limit was crossed, not after reading all 8 MB.
      assert.ok(file.state.pulled <= 1024 * 1024 + 64 * 1024, `read ${file.state.pulled} bytes`);
      const left = await stack.db.selectFrom('media').select('id').where('status', '=', 'pending').execute();
      assert.equal(left.length, 0);
    });

    test('bytes that are not what the type says are refused before they are stored', async () => {
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(2000)]);
      await assert.rejects(
        library.save({ accountId: DEFAULT_ACCOUNT_ID, mimeType: 'image/jpeg', sniff: true, bytes: (async function* () { yield png; })() }),
        (error) => error instanceof MediaTypeError && /not image\/jpeg/.test(error.message),
      );
      const saved = await library.save({ accountId: DEFAULT_ACCOUNT_ID, mimeType: 'image/png', sniff: true, bytes: (async function* () { yield png.subarray(0, 5); yield png.subarray(5); })() });
      assert.equal(saved.kind, 'image');
      assert.deepEqual(await readBack(library, saved.id), png);
    });

    test('a stable id is stored once: saving it again keeps the first bytes', async () => {
      const id = `med_stable_${kind}`;
      const first = pdf(1000);
      await library.save({ id, accountId: DEFAULT_ACCOUNT_ID, mimeType: 'application/pdf', kind: 'document', sniff: false, bytes: first.stream() });
      const second = pdf(2000);
      const again = await library.save({ id, accountId: DEFAULT_ACCOUNT_ID, mimeType: 'application/pdf', kind: 'document', sniff: false, bytes: second.stream() });
      assert.equal(Number(again.size), 1000);
      assert.equal(second.state.pulled, 0);
      assert.equal(sha(await readBack(library, id)), sha(first.bytes));
    });

    test('removed bytes are gone from the store', async () => {
      const file = pdf(3000);
      const row = await library.save({ accountId: DEFAULT_ACCOUNT_ID, mimeType: 'application/pdf', sniff: true, bytes: file.stream() });
      await store.remove(row.id);
      const chunks: Buffer[] = [];
      const read = async () => {
        for await (const chunk of await store.read(row.id)) chunks.push(chunk as Buffer);
      };
      if (kind === 's3') await assert.rejects(read());
      else {
        await read();
        assert.equal(chunks.length, 0);
      }
    });
  });
}
