import type { downloadMediaMessage, WAMessage } from '@whiskeysockets/baileys';
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
  /** WHATSAPP_MEDIA_REUPLOAD_TIMEOUT_MS: Baileys waits for the phone's answer without a limit. */
  reuploadTimeoutMs?: number;
}

/** WhatsApp's answer that a file is gone for good: asking again can never bring it back. */
class MediaGoneError extends Error {}

/**
 * Downloads the file of a received WhatsApp message into the media store, before the message is
 * handed to its conversation. WhatsApp's media URLs expire: on a 404 or 410 the session that holds
 * the number asks the phone to upload the file again, when this process holds it. Anything else
 * that fails (WhatsApp's servers, the network or the store away, the phone not answering) leaves
 * the message in the inbox, to be tried again until CATY_MEDIA_DOWNLOAD_WINDOW_MS has passed.
 * Only WhatsApp saying the file is gone (the phone no longer has it, or its new URL is gone too)
 * or the end of that window records the file as unavailable, and the message goes on without it.
 */
export class WhatsAppMediaDownloads {
  private sessions: ReadonlyMap<string, MediaReuploader> = new Map();

  constructor(private readonly options: MediaDownloadOptions) {}

  /** The sessions this process holds (the gateway's), for re-upload requests. */
  attach(sessions: ReadonlyMap<string, MediaReuploader>): void {
    this.sessions = sessions;
  }

  readonly fetch = async (message: InboundWhatsAppMessage, windowOver: boolean): Promise<void> => {
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
    // Baileys (about 80 MB of RSS once imported) loads with the first file to fetch: only gateways
    // fetch often, and the conversation worker and the API relay one only after a gateway stopped.
    const { proto } = await import('@whiskeysockets/baileys');
    const waMessage = { key: source.key, message: proto.Message.decode(Buffer.from(source.message, 'base64')) } as WAMessage;
    try {
      await library.save({ ...description, sniff: false, bytes: await this.download(waMessage, this.sessions.get(message.channelId)) });
      mediaDownloads.inc({ outcome: 'stored' });
    } catch (error) {
      const reason = errorText(error);
      const gone = error instanceof MediaGoneError;
      if (!gone && !windowOver) {
        mediaDownloads.inc({ outcome: 'retrying' });
        throw new Error(`the file of message ${message.id} could not be downloaded yet: ${reason}`);
      }
      this.options.log?.(
        `media: the file of message ${message.id} on ${message.channelId} ${gone ? 'is gone' : 'could not be downloaded within CATY_MEDIA_DOWNLOAD_WINDOW_MS'}; the message goes on without it: ${reason}`,
      );
      mediaDownloads.inc({ outcome: 'unavailable' });
      await library.recordUnavailable(description);
    }
  };

  /** The file's bytes as they arrive; MediaGoneError when WhatsApp says it is gone for good. */
  private async download(waMessage: WAMessage, session: MediaReuploader | undefined): Promise<AsyncIterable<Uint8Array>> {
    const options = this.options.dispatcher ? ({ options: { dispatcher: this.options.dispatcher } } as Parameters<typeof downloadMediaMessage>[2]) : {};
    // Without Baileys' own re-upload context: 7.0.0-rc14 asks for one only when an error has
    // `status`, and its own failed fetch says the status in `output.statusCode` (Boom).
    const { downloadMediaMessage: fetchMedia } = await import('@whiskeysockets/baileys');
    const get = () => fetchMedia(waMessage, 'stream', options);
    try {
      return await get();
    } catch (error) {
      const status = httpStatus(error);
      // Nothing to download (no URL in the message, as a view-once photo on a linked device).
      if (status === 400) throw new MediaGoneError(errorText(error));
      // Another process holds the number: one of its attempts will ask the phone.
      if (!session || !REUPLOAD_STATUSES.includes(status ?? 0)) throw error;
    }
    try {
      await withTimeout(session.reuploadMedia(waMessage), this.options.reuploadTimeoutMs ?? 20_000, 'the phone did not answer the re-upload request');
    } catch (error) {
      if (httpStatus(error) === 404) throw new MediaGoneError(`the phone no longer has it (${errorText(error)})`);
      throw error;
    }
    try {
      return await get();
    } catch (error) {
      if (REUPLOAD_STATUSES.includes(httpStatus(error) ?? 0)) throw new MediaGoneError(`gone even after the phone uploaded it again (${errorText(error)})`);
      throw error;
    }
  }
}

/** WhatsApp answers these for media it no longer serves at that URL: the phone must upload it again. */
const REUPLOAD_STATUSES = [404, 410];

function httpStatus(error: unknown): number | undefined {
  const e = error as { status?: unknown; output?: { statusCode?: unknown } } | undefined;
  const status = typeof e?.status === 'number' ? e.status : e?.output?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** An error as the inbox and the log say it, with the HTTP status Boom keeps apart. */
function errorText(error: unknown): string {
  const status = httpStatus(error);
  return `${error instanceof Error ? error.message : String(error)}${status && !(error instanceof MediaGoneError) ? ` (HTTP ${status})` : ''}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
