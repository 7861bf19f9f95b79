import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { BufferJSON, proto, type AuthenticationCreds, type KeyPair } from '@whiskeysockets/baileys';
import { clearAuthState, sealAuthState, usePostgresAuthState } from '../../activities/whatsapp/baileys/auth-store.js';
import { KeyRing } from '../../config/key-ring.js';
import { newId } from '../../db/ids.js';
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
    const auth = await usePostgresAuthState(stack.db, channelId, stack.encryptionKeys);
    assert.equal(auth.resumed, false);
    assert.equal(auth.state.creds.registered, false);
    assert.deepEqual(await stack.db.selectFrom('whatsapp_auth').select('id').where('channel_id', '=', channelId).execute(), []);
  });

  test('creds and Signal keys round-trip byte for byte, and a second process resumes them', async () => {
    const channelId = await newChannel();
    const auth = await usePostgresAuthState(stack.db, channelId, stack.encryptionKeys);
    Object.assign(auth.state.creds, { registered: true, me: { id: '40744000555:1@s.whatsapp.net', name: 'Magazin' } } satisfies Partial<AuthenticationCreds>);
    await auth.saveCreds();
    const preKey: KeyPair = { public: new Uint8Array([1, 2, 3, 250]), private: new Uint8Array([9, 8, 7]) };
    await auth.state.keys.set({
      'pre-key': { '17': preKey },
      session: { '40711111111.0': new Uint8Array([42, 43]) },
      'app-state-sync-key': { AAAA: { keyData: new Uint8Array([5, 6]), timestamp: 1700000000 } },
    });

    // The same process, reopened.
    const again = await usePostgresAuthState(stack.db, channelId, stack.encryptionKeys);
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
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script, stack.databaseUrl, channelId, 'pre-key', '17'], {
      timeout: 20_000,
      env: { ...process.env, CATY_ENCRYPTION_KEY: stack.config.CATY_ENCRYPTION_KEY! },
    });
    const other = JSON.parse(stdout, BufferJSON.reviver) as { resumed: boolean; creds: AuthenticationCreds; keys: Record<string, KeyPair> };
    assert.equal(other.resumed, true);
    assert.deepEqual(Buffer.from(other.creds.noiseKey.public), Buffer.from(auth.state.creds.noiseKey.public));
    assert.equal(other.creds.advSecretKey, auth.state.creds.advSecretKey);
    assert.deepEqual(Buffer.from(other.keys['17']!.private), Buffer.from([9, 8, 7]));
  });

  test('a null value deletes a key; clearing forgets the whole login', async () => {
    const channelId = await newChannel();
    const auth = await usePostgresAuthState(stack.db, channelId, stack.encryptionKeys);
    await auth.saveCreds();
    await auth.state.keys.set({ 'pre-key': { '1': { public: new Uint8Array([1]), private: new Uint8Array([2]) }, '2': { public: new Uint8Array([3]), private: new Uint8Array([4]) } } });
    await auth.state.keys.set({ 'pre-key': { '1': null } });
    assert.deepEqual(Object.keys(await auth.state.keys.get('pre-key', ['1', '2'])), ['2']);
    await clearAuthState(stack.db, channelId);
    assert.equal((await usePostgresAuthState(stack.db, channelId, stack.encryptionKeys)).resumed, false);
    assert.deepEqual(await stack.db.selectFrom('whatsapp_auth').select('id').where('channel_id', '=', channelId).execute(), []);
  });

  test('credentials and keys are sealed at rest: the table holds no key material, and a value moved to another row does not open', async () => {
    const channelId = await newChannel();
    const auth = await usePostgresAuthState(stack.db, channelId, stack.encryptionKeys);
    Object.assign(auth.state.creds, { registered: true, me: { id: '40744000777:1@s.whatsapp.net' } } satisfies Partial<AuthenticationCreds>);
    await auth.saveCreds();
    await auth.state.keys.set({ 'pre-key': { '5': { public: new Uint8Array([7, 7, 7]), private: new Uint8Array([200, 201, 202, 203]) } } });
    const rows = await stack.db.selectFrom('whatsapp_auth').select(['type', 'id', 'value']).where('channel_id', '=', channelId).execute();
    assert.equal(rows.length, 2);
    const noise = Buffer.from(auth.state.creds.noiseKey.private).toString('base64');
    for (const row of rows) {
      assert.match(row.value, /^enc:/, `${row.type} is sealed`);
      assert.ok(!row.value.includes(noise) && !row.value.includes('40744000777') && !row.value.includes('yMnKyw'), `${row.type} shows nothing of what it holds`);
    }
    // Another channel's row with this one's sealed creds: it opens for no one.
    const other = await newChannel();
    const creds = rows.find((r) => r.type === 'creds')!;
    await stack.db.insertInto('whatsapp_auth').values({ channel_id: other, type: 'creds', id: 'creds', value: creds.value, updated_at: new Date() }).execute();
    await assert.rejects(usePostgresAuthState(stack.db, other, stack.encryptionKeys));
  });

  test('plain rows from before are read, then sealed; a key is rotated by listing a new one first', async () => {
    const channelId = await newChannel();
    const oldKey = KeyRing.generate();
    const newKey = KeyRing.generate();
    // What the store wrote before values were sealed: plain JSON.
    const creds = { ...(await usePostgresAuthState(stack.db, channelId, KeyRing.parse(oldKey))).state.creds, registered: true };
    await stack.db
      .insertInto('whatsapp_auth')
      .values([
        { channel_id: channelId, type: 'creds', id: 'creds', value: JSON.stringify(creds, BufferJSON.replacer), updated_at: new Date() },
        { channel_id: channelId, type: 'pre-key', id: '9', value: JSON.stringify({ public: Buffer.from([1, 9]), private: Buffer.from([2, 9]) }, BufferJSON.replacer), updated_at: new Date() },
      ])
      .execute();
    const plain = await usePostgresAuthState(stack.db, channelId, KeyRing.parse(oldKey));
    assert.equal(plain.resumed, true);
    assert.deepEqual(Buffer.from(plain.state.creds.noiseKey.public), Buffer.from(creds.noiseKey.public));

    const stored = () => stack.db.selectFrom('whatsapp_auth').select(['id', 'value']).where('channel_id', '=', channelId).orderBy('id').execute();
    const first = await sealAuthState(stack.db, KeyRing.parse(oldKey));
    assert.ok(first.sealed >= 2, `sealed ${first.sealed}`);
    const underOld = await stored();
    assert.ok(underOld.every((r) => r.value.startsWith(KeyRing.parse(oldKey).currentTextPrefix)));
    assert.equal((await sealAuthState(stack.db, KeyRing.parse(oldKey))).sealed, 0, 'nothing left to seal');

    // Rotation: the new key first, the old one still listed, so both kinds of row open meanwhile.
    const rotating = KeyRing.parse(`${newKey},${oldKey}`);
    assert.equal((await usePostgresAuthState(stack.db, channelId, rotating)).resumed, true);
    await sealAuthState(stack.db, rotating);
    assert.ok((await stored()).every((r) => r.value.startsWith(rotating.currentTextPrefix)), 'every row now under the new key');
    // The old key dropped: everything still opens, byte for byte.
    const after = await usePostgresAuthState(stack.db, channelId, KeyRing.parse(newKey));
    assert.deepEqual(Buffer.from(after.state.creds.noiseKey.private), Buffer.from(creds.noiseKey.private));
    assert.deepEqual(Buffer.from((await after.state.keys.get('pre-key', ['9']))['9']!.private), Buffer.from([2, 9]));
    // And the old key alone no longer opens them.
    await assert.rejects(usePostgresAuthState(stack.db, channelId, KeyRing.parse(oldKey)), /not among the configured keys/);
  });
});
