import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { BufferJSON, type WAMessage } from '@whiskeysockets/baileys';
import { alive } from '../../../config/processes.js';

/** Who the channel's own account was when the message arrived: enough to read it again without its socket. */
export interface SpooledUser {
  id: string;
  lid?: string | undefined;
}

export interface SpoolEntry {
  channelId: string;
  message: WAMessage;
  user: SpooledUser | null;
}

type Line = { t: 'm'; channel: string; user: SpooledUser | null; message: unknown } | { t: 'd'; channel: string; id: string };

/** Past this many lines, a spool whose messages are mostly stored is rewritten with only the others. */
const COMPACT_AFTER_LINES = 2000;

/** When a process started (Linux: clock ticks since boot, from /proc), or undefined where that cannot be read. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function keyOf(channelId: string, messageId: string): string {
  return `${channelId}\n${messageId}`;
}

/**
 * The gateway's local, append-only record of what WhatsApp delivered. Baileys acknowledges a
 * message to WhatsApp before it hands it to us, so from then on this process holds the only copy:
 * each batch is written here and fsynced before anything else happens to it, and stays until the
 * inbox in PostgreSQL has it. A gateway that restarts (after a crash, or with the database still
 * away) replays what is left.
 *
 * Writes are synchronous on purpose: between Baileys' event and the fsync nothing else runs, so
 * no message is "taken" before it is on disk. One fsync covers a whole batch.
 */
export class InboundSpool {
  private fd: number | null = null;
  private readonly pendingEntries = new Map<string, SpoolEntry>();
  private lines = 0;

  constructor(readonly file: string) {}

  /**
   * The spool file in `dir`, opened (created when absent) with what an earlier run left pending.
   * One gateway process per directory: a lock file names the process that has it (its pid and
   * start time, so that a pid reused after a restart is not taken for a running gateway).
   */
  static open(dir: string): InboundSpool {
    mkdirSync(dir, { recursive: true });
    const lock = path.join(dir, 'whatsapp-inbound.pid');
    let holder: string | null = null;
    try {
      holder = readFileSync(lock, 'utf8').trim();
    } catch {
      // No lock: nobody has it.
    }
    const [pid, started] = (holder ?? '').split(' ');
    const holderPid = Number.parseInt(pid ?? '', 10);
    if (Number.isInteger(holderPid) && holderPid !== process.pid && alive(holderPid) && (started === undefined || processStart(holderPid) === started)) {
      throw new Error(`the WhatsApp spool in ${dir} belongs to another running gateway (pid ${holderPid}); give each gateway its own CATY_DATA_DIR`);
    }
    writeFileSync(lock, `${process.pid} ${processStart(process.pid) ?? ''}`.trim() + '\n');
    const spool = new InboundSpool(path.join(dir, 'whatsapp-inbound.jsonl'));
    spool.lockFile = lock;
    spool.load();
    spool.rewrite();
    return spool;
  }

  private lockFile: string | null = null;

  /** Messages not yet in the inbox, in the order they arrived; of one channel when given. */
  pending(channelId?: string): SpoolEntry[] {
    const all = [...this.pendingEntries.values()];
    return channelId ? all.filter((e) => e.channelId === channelId) : all;
  }

  /** Channels with messages still to store. */
  channels(): string[] {
    return [...new Set(this.pending().map((e) => e.channelId))];
  }

  /** Appends and fsyncs: when this returns, the messages survive a crash of this process or host. */
  append(channelId: string, messages: WAMessage[], user: SpooledUser | null): SpoolEntry[] {
    const fresh = messages.filter((m) => m.key?.id && !this.pendingEntries.has(keyOf(channelId, m.key.id)));
    if (fresh.length === 0) return [];
    const text = fresh.map((message) => JSON.stringify({ t: 'm', channel: channelId, user, message } satisfies Line, BufferJSON.replacer)).join('\n') + '\n';
    this.write(text, true);
    const entries = fresh.map((message) => ({ channelId, message, user }));
    for (const entry of entries) this.pendingEntries.set(keyOf(channelId, entry.message.key.id!), entry);
    return entries;
  }

  /**
   * The inbox has it (or it was nothing a conversation reads). Not fsynced: if the mark is lost,
   * the message is stored again after a restart, and the inbox ignores a message it already has.
   */
  done(entry: SpoolEntry): void {
    const id = entry.message.key.id!;
    if (!this.pendingEntries.delete(keyOf(entry.channelId, id))) return;
    this.write(`${JSON.stringify({ t: 'd', channel: entry.channelId, id } satisfies Line)}\n`, false);
    if (this.lines > COMPACT_AFTER_LINES && this.pendingEntries.size * 4 < this.lines) this.rewrite();
  }

  /** Closes the file and gives the directory up to the next gateway. */
  close(): void {
    this.closeFile();
    if (this.lockFile) rmSync(this.lockFile, { force: true });
    this.lockFile = null;
  }

  private closeFile(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private write(text: string, durable: boolean): void {
    this.fd ??= openSync(this.file, 'a');
    const bytes = Buffer.from(text);
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(this.fd, bytes, offset);
    if (durable) fsyncSync(this.fd);
    this.lines += text.split('\n').length - 1;
  }

  private load(): void {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return;
      throw error;
    }
    for (const raw of text.split('\n')) {
      if (!raw) continue;
      let line: Line;
      try {
        line = JSON.parse(raw, BufferJSON.reviver) as Line;
      } catch {
        // A line cut short by a crash mid-write: its batch was never fsynced, so never taken.
        continue;
      }
      if (line.t === 'm') {
        const message = line.message as WAMessage;
        if (message?.key?.id) this.pendingEntries.set(keyOf(line.channel, message.key.id), { channelId: line.channel, message, user: line.user });
      } else if (line.t === 'd') {
        this.pendingEntries.delete(keyOf(line.channel, line.id));
      }
    }
  }

  /** Replaces the file with one holding only the pending messages (written aside, fsynced, renamed). */
  private rewrite(): void {
    this.closeFile();
    const partial = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(partial, 'w');
    const text = this.pending()
      .map((e) => `${JSON.stringify({ t: 'm', channel: e.channelId, user: e.user, message: e.message } satisfies Line, BufferJSON.replacer)}\n`)
      .join('');
    const bytes = Buffer.from(text);
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(partial, this.file);
    // The rename itself is durable only once the directory is.
    const dir = openSync(path.dirname(this.file), 'r');
    fsyncSync(dir);
    closeSync(dir);
    this.lines = this.pendingEntries.size;
  }
}
