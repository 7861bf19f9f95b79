import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { BufferJSON, proto, type AuthenticationCreds, type KeyPair } from '@whiskeysockets/baileys';
import { clearAuthState, usePostgresAuthState } from '../../activities/whatsapp/baileys/auth-store.js';
import { newId } from '../../activities/ids.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const run = promisify(execFile);
let stack: TestStack;
before(async () => {
  stack = await startTestStack({ gateway: false });
});
after(async () => {
  await stack?.stop();
});

async function newChannel(): Promise<string> {
  const account = await stack.db.selectFrom('accounts').select('id').executeTakeFirstOrThrow();
  const id = newId('chn');
  await stack.db.insertInto('channels').values({ id, account_id: account.id, provider: 'baileys', name: null, status: 'pending', phone: null, qr: null, last_error: null }).execute();
  return id;
}

describe('Baileys auth state in PostgreSQL', () => {
  test('a fresh channel gets new creds, and nothing is stored until Baileys saves', async () => {
    const channelId = await newChannel();
    const auth = await usePostgresAuthState(stack.db, channelId);
    assert.equal(auth.resumed, false);
    assert.equal(auth.state.creds.registered, false);
    assert.deepEqual(await stack.db.selectFrom('whatsapp_auth').select('id').where('channel_id', '=', channelId).execute(), []);
  });

  test('creds and Signal keys round-trip byte for byte, and a second process resumes them', async () => {
    const channelId = await newChannel();
    const auth = await usePostgresAuthState(stack.db, channelId);
    Object.assign(auth.state.creds, { registered: true, me: { id: '40744000555:1@s.whatsapp.net', name: 'Magazin' } } satisfies Partial<AuthenticationCreds>);
    await auth.saveCreds();
    const preKey: KeyPair = { public: new Uint8Array([1, 2, 3, 250]), private: new Uint8Array([9, 8, 7]) };
    await auth.state.keys.set({
      'pre-key': { '17': preKey },
      session: { '40711111111.0': new Uint8Array([42, 43]) },
      'app-state-sync-key': { AAAA: { keyData: new Uint8Array([5, 6]), timestamp: 1700000000 } },
    });

    // The same process, reopened.
    const again = await usePostgresAuthState(stack.db, channelId);
    assert.equal(again.resumed, true);
    assert.deepEqual(Buffer.from(again.state.creds.noiseKey.private), Buffer.from(auth.state.creds.noiseKey.private));
    assert.deepEqual(Buffer.from(again.state.creds.signedIdentityKey.public), Buffer.from(auth.state.creds.signedIdentityKey.public));
    assert.equal(again.state.creds.me?.id, '40744000555:1@s.whatsapp.net');
    const keys = await again.state.keys.get('pre-key', ['17', '18']);
    assert.deepEqual(Buffer.from(keys['17']!.public), Buffer.from([1, 2, 3, 250]));
    assert.equal(keys['18'], undefined);
    const sync = await again.state.keys.get('app-state-sync-key', ['AAAA']);
    assert.ok(sync.AAAA instanceof proto.Message.AppStateSyncKeyData, 'app-state-sync-key comes back as the protobuf type Baileys expects');

    // Another process, as a gateway on another machine would.
    const script = fileURLToPath(new URL('./support/read-auth-process.ts', import.meta.url));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script, stack.databaseUrl, channelId, 'pre-key', '17'], { timeout: 20_000 });
    const other = JSON.parse(stdout, BufferJSON.reviver) as { resumed: boolean; creds: AuthenticationCreds; keys: Record<string, KeyPair> };
    assert.equal(other.resumed, true);
    assert.deepEqual(Buffer.from(other.creds.noiseKey.public), Buffer.from(auth.state.creds.noiseKey.public));
    assert.equal(other.creds.advSecretKey, auth.state.creds.advSecretKey);
    assert.deepEqual(Buffer.from(other.keys['17']!.private), Buffer.from([9, 8, 7]));
  });

  test('a null value deletes a key; clearing forgets the whole login', async () => {
    const channelId = await newChannel();
    const auth = await usePostgresAuthState(stack.db, channelId);
    await auth.saveCreds();
    await auth.state.keys.set({ 'pre-key': { '1': { public: new Uint8Array([1]), private: new Uint8Array([2]) }, '2': { public: new Uint8Array([3]), private: new Uint8Array([4]) } } });
    await auth.state.keys.set({ 'pre-key': { '1': null } });
    assert.deepEqual(Object.keys(await auth.state.keys.get('pre-key', ['1', '2'])), ['2']);
    await clearAuthState(stack.db, channelId);
    assert.equal((await usePostgresAuthState(stack.db, channelId)).resumed, false);
    assert.deepEqual(await stack.db.selectFrom('whatsapp_auth').select('id').where('channel_id', '=', channelId).execute(), []);
  });
});
