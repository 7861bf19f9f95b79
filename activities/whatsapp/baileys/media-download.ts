import { downloadMediaMessage, proto, type WAMessage } from '@whiskeysockets/baileys';
import type { Kysely } from 'kysely';
import { Counter } from 'prom-client';
import type { Database } from '../../../db/schema.js';
import type { MediaLibrary } from '../../../media/library.js';
import { once } from '../../../observability/metrics.js';
import type { InboundWhatsAppMessage } from '../provider.js';

export const mediaDownloads = once(
  'caty_media_downloads_total',
  () =>
    new Counter({
      name: 'caty_media_downloads_total',
      help: 'Files of received WhatsApp messages, by outcome: stored; retrying (the message waits in the inbox); unavailable (given up: the message goes on without its bytes)',
      labelNames: ['outcome'] as const,
    }),
);

/** A session that can ask the phone to upload an expired file again (Baileys' updateMediaMessage). */
export interface MediaReuploader {
  reuploadMedia(message: WAMessage): Promise<WAMessage>;
}

export interface MediaDownloadOptions {
  db: Kysely<Database>;
  library: MediaLibrary;
  log?: (line: string) => void;
  /** The fetch dispatcher for WhatsApp's media servers (tests route them to a loopback server). */
  dispatcher?: unknown;
}

/**
 * Downloads the file of a received WhatsApp message into the media store, before the message is
 * handed to its conversation. WhatsApp's media URLs expire: on a 404 or 410 the session that holds
 * the number asks the phone to upload the file again (`reuploadRequest`), when this process holds
 * it. A download that fails leaves the message in the inbox, to be tried again; after the inbox's
 * last attempt the file is recorded as unavailable and the message goes on without it.
 */
export class WhatsAppMediaDownloads {
  private sessions: ReadonlyMap<string, MediaReuploader> = new Map();

  constructor(private readonly options: MediaDownloadOptions) {}

  /** The sessions this process holds (the gateway's), for re-upload requests. */
  attach(sessions: ReadonlyMap<string, MediaReuploader>): void {
    this.sessions = sessions;
  }

  readonly fetch = async (message: InboundWhatsAppMessage, lastAttempt: boolean): Promise<void> => {
    const media = message.attachment?.media;
    const source = message.mediaSource;
    if (!media || !source) return;
    const { library, db } = this.options;
    const existing = await library.find(media.id);
    if (existing && existing.status !== 'pending') return;
    const channel = await db.selectFrom('channels').select('account_id').where('id', '=', message.channelId).executeTakeFirstOrThrow();
    const description = {
      id: media.id,
      accountId: channel.account_id,
      kind: media.kind,
      mimeType: source.mimeType,
      filename: source.filename ?? null,
      voice: media.voice ?? false,
      durationS: source.durationS ?? null,
    };
    const waMessage = { key: source.key, message: proto.Message.decode(Buffer.from(source.message, 'base64')) } as WAMessage;
    const session = this.sessions.get(message.channelId);
    let reuploaded = false;
    const reuploadRequest = async (m: WAMessage) => {
      reuploaded = true;
      return session!.reuploadMedia(m);
    };
    const options = this.options.dispatcher ? ({ options: { dispatcher: this.options.dispatcher } } as Parameters<typeof downloadMediaMessage>[2]) : {};
    const download = () => downloadMediaMessage(waMessage, 'stream', options, session ? { reuploadRequest, logger: silentLogger } : undefined);
    try {
      const stream = await download().catch(async (error: unknown) => {
        // Baileys 7.0.0-rc14 asks for a re-upload only when an error has `status`; its own failed
        // fetch says the status in `output.statusCode` (Boom), so an expired URL is handled here.
        if (!session || reuploaded || !REUPLOAD_STATUSES.includes(httpStatus(error) ?? 0)) throw error;
        await reuploadRequest(waMessage);
        return download();
      });
      await library.save({ ...description, sniff: false, bytes: stream });
      mediaDownloads.inc({ outcome: 'stored' });
    } catch (error) {
      if (!lastAttempt) {
        mediaDownloads.inc({ outcome: 'retrying' });
        throw new Error(`the file of message ${message.id} could not be downloaded yet: ${error instanceof Error ? error.message : String(error)}`);
      }
      this.options.log?.(`media: the file of message ${message.id} on ${message.channelId} could not be downloaded; the message goes on without it: ${String(error)}`);
      mediaDownloads.inc({ outcome: 'unavailable' });
      await library.recordUnavailable(description);
    }
  };
}

/** WhatsApp answers these for media it no longer serves at that URL: the phone must upload it again. */
const REUPLOAD_STATUSES = [404, 410];

function httpStatus(error: unknown): number | undefined {
  const e = error as { status?: unknown; output?: { statusCode?: unknown } } | undefined;
  const status = typeof e?.status === 'number' ? e.status : e?.output?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

const silentLogger = { level: 'silent', child: () => silentLogger, trace() {}, debug() {}, info() {}, warn() {}, error() {} } as unknown as Parameters<typeof downloadMediaMessage>[3] extends infer C ? (C extends { logger: infer L } ? L : never) : never;
