import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { getMediaKeys, type MediaType } from '@whiskeysockets/baileys';
import { Agent } from 'undici';

/** A fetch dispatcher that takes every request, whatever its host, to a loopback port as plain HTTP (another process may use it too). */
export function loopbackDispatcher(port: number): Agent {
  return new Agent({
    connect: (_options, callback) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => callback(null, socket));
      socket.once('error', (error) => callback(error, null));
    },
  });
}

/** A file as WhatsApp's media servers keep it: encrypted with its media key, addressed by a direct path. */
export interface UploadedMedia {
  directPath: string;
  url: string;
  mediaKey: Buffer;
  fileSha256: Buffer;
  fileEncSha256: Buffer;
  fileLength: number;
}

/**
 * WhatsApp's media CDN on loopback: files encrypted exactly as WhatsApp encrypts them (AES-256-CBC
 * with keys expanded from the media key, and a 10-byte HMAC), served by direct path. A path can be
 * expired (410, as WhatsApp answers for old media) and uploaded again under a new one, which is
 * what the phone does when asked to re-upload. `dispatcher` routes Baileys' HTTPS requests for
 * mmg.whatsapp.net here.
 */
export class FakeMediaServer {
  private readonly files = new Map<string, Buffer>();
  private readonly expired = new Set<string>();
  private server!: Server;
  requests: { path: string; status: number }[] = [];
  dispatcher!: Agent;
  port = 0;
  /** While set, every request gets this status (WhatsApp's media servers in an outage: 503). */
  outage: number | null = null;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0]!;
      const body = this.files.get(path);
      const status = this.outage ?? (this.expired.has(path) ? 410 : body ? 200 : 404);
      this.requests.push({ path, status });
      if (status !== 200) {
        res.writeHead(status).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body!.length });
      res.end(body);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.port = port;
    this.dispatcher = loopbackDispatcher(port);
  }

  async upload(plaintext: Buffer, type: MediaType): Promise<UploadedMedia> {
    const mediaKey = randomBytes(32);
    const { iv, cipherKey, macKey } = await getMediaKeys(mediaKey, type);
    const cipher = createCipheriv('aes-256-cbc', cipherKey, iv);
    const encrypted = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const mac = createHmac('sha256', macKey!).update(iv).update(encrypted).digest().subarray(0, 10);
    const body = Buffer.concat([encrypted, mac]);
    const directPath = `/v/t62.7118-24/${randomBytes(8).toString('hex')}.enc`;
    this.files.set(directPath, body);
    return {
      directPath,
      url: `https://mmg.whatsapp.net${directPath}`,
      mediaKey,
      fileSha256: createHash('sha256').update(plaintext).digest(),
      fileEncSha256: createHash('sha256').update(body).digest(),
      fileLength: plaintext.length,
    };
  }

  /** WhatsApp no longer serves this path (its URL expired). */
  expire(directPath: string): void {
    this.expired.add(directPath);
  }

  /** The phone uploads the same file again: the new direct path. */
  reupload(directPath: string): string {
    const body = this.files.get(directPath);
    if (!body) throw new Error(`no file at ${directPath}`);
    const fresh = `/v/t62.7118-24/${randomBytes(8).toString('hex')}.enc`;
    this.files.set(fresh, body);
    return fresh;
  }

  async stop(): Promise<void> {
    await this.dispatcher?.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
