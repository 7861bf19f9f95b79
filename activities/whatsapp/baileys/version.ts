import { fetchLatestWaWebVersion, type WAVersion } from '@whiskeysockets/baileys';

export interface VersionOptions {
  /** "2.3000.1023223821" pins the WhatsApp Web version; empty asks WhatsApp for the current one. */
  pinned?: string | undefined;
  /** How long start-up may wait for the answer; 0 skips the request and uses Baileys' default. */
  fetchTimeoutMs: number;
}

export function parseVersion(text: string): WAVersion {
  const parts = text.split('.').map((p) => Number.parseInt(p, 10));
  if (parts.length !== 3 || parts.some((p) => !Number.isInteger(p) || p < 0)) throw new Error(`not a WhatsApp Web version: ${text}`);
  return parts as WAVersion;
}

/**
 * The WhatsApp Web version to announce. Fetched with a short timeout so that an offline gateway
 * still starts: Baileys then uses the version it was released with. Undefined means "Baileys' default".
 */
export function createVersionSource(options: VersionOptions): () => Promise<WAVersion | undefined> {
  if (options.pinned) {
    const pinned = parseVersion(options.pinned);
    return async () => pinned;
  }
  let cached: Promise<WAVersion | undefined> | undefined;
  return () => {
    if (options.fetchTimeoutMs <= 0) return Promise.resolve(undefined);
    cached ??= fetchLatestWaWebVersion({ signal: AbortSignal.timeout(options.fetchTimeoutMs) })
      .then((result) => (result.isLatest && !result.error ? result.version : undefined))
      .catch(() => undefined);
    return cached;
  };
}
