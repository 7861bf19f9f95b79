import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { InboundSpool } from '../../activities/whatsapp/baileys/inbound-spool.js';
import { textMessage } from '../whatsapp/support/fake-whatsapp.js';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'caty-spool-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const user = { id: '40700000001:2@s.whatsapp.net', lid: '123@lid' };

test('what is appended and not marked stored is there again after a restart, in order, with its bytes intact', () => {
  const dir = freshDir();
  const spool = InboundSpool.open(dir);
  const [a, b, c] = ['unu', 'doi', 'trei'].map((text, i) => textMessage('40711111111@s.whatsapp.net', text, { id: `M${i}` }));
  spool.append('chn_1', [a!, b!], user);
  spool.append('chn_2', [c!], null);
  // A message delivered twice while still pending is kept once.
  assert.deepEqual(spool.append('chn_1', [a!], user), []);
  spool.done(spool.pending('chn_1')[0]!);
  spool.close();

  const again = InboundSpool.open(dir);
  assert.deepEqual(again.pending().map((e) => [e.channelId, e.message.key.id, e.message.message?.conversation]), [
    ['chn_1', 'M1', 'doi'],
    ['chn_2', 'M2', 'trei'],
  ]);
  assert.deepEqual(again.pending('chn_1')[0]!.user, user);
  assert.deepEqual(again.channels(), ['chn_1', 'chn_2']);
  again.close();
});

test('a line cut short by a crash is skipped; the rest is read', () => {
  const dir = freshDir();
  const spool = InboundSpool.open(dir);
  spool.append('chn_1', [textMessage('40711111111@s.whatsapp.net', 'intreg', { id: 'WHOLE' })], null);
  spool.close();
  appendFileSync(path.join(dir, 'whatsapp-inbound.jsonl'), '{"t":"m","channel":"chn_1","user":null,"message":{"key":{"id":"HAL');
  const again = InboundSpool.open(dir);
  assert.deepEqual(again.pending().map((e) => e.message.key.id), ['WHOLE']);
  again.close();
});

test('the file is rewritten with only what is pending once most of it is stored', () => {
  const dir = freshDir();
  const spool = InboundSpool.open(dir);
  // One fsync per batch, as Baileys delivers them.
  for (let b = 0; b < 11; b++) spool.append('chn_1', Array.from({ length: 100 }, (_, i) => textMessage('40711111111@s.whatsapp.net', `m${b * 100 + i}`, { id: `N${b * 100 + i}` })), null);
  for (const entry of spool.pending().slice(0, 1095)) spool.done(entry);
  // 1,100 messages and 1,095 marks were written; past 2,000 lines it started again from the pending ones.
  const lines = readFileSync(path.join(dir, 'whatsapp-inbound.jsonl'), 'utf8').split('\n').filter(Boolean);
  assert.ok(lines.length < 500, `${lines.length} lines after compaction`);
  spool.close();
  assert.deepEqual(InboundSpool.open(dir).pending().map((e) => e.message.key.id), ['N1095', 'N1096', 'N1097', 'N1098', 'N1099']);
});

function startTime(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

test('a directory another running gateway holds is refused; a lock left by a dead one, or whose pid now names another process, is not', () => {
  const dir = freshDir();
  const lock = path.join(dir, 'whatsapp-inbound.pid');
  // The parent of this test process is alive and is not us.
  writeFileSync(lock, `${process.ppid} ${startTime(process.ppid)}\n`);
  assert.throws(() => InboundSpool.open(dir), /belongs to another running gateway/);
  // The same pid, started at another time: a restart reused it.
  writeFileSync(lock, `${process.ppid} 1\n`);
  InboundSpool.open(dir).close();
  assert.throws(() => readFileSync(lock), /ENOENT/, 'closing gives the directory up');
});
