import type { MediaKind } from './kinds.js';

/** A file past WhatsApp's limit for its kind (or the route's own). */
export class MediaTooLargeError extends Error {
  constructor(
    readonly limit: number,
    readonly kind: MediaKind | 'file',
  ) {
    super(`the ${kind === 'file' ? 'file' : kind} is larger than ${Math.round((limit / 1024 / 1024) * 10) / 10} MB, the most WhatsApp carries for it`);
    this.name = 'MediaTooLargeError';
  }
}

/** A type WhatsApp cannot carry, or bytes that are not what their type says. */
export class MediaTypeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MediaTypeError';
  }
}

/** The file's bytes were deleted by retention (its message keeps the metadata). */
export class MediaExpiredError extends Error {
  constructor(readonly mediaId: string) {
    super(`the file ${mediaId} has expired: its bytes were deleted after the retention period`);
    this.name = 'MediaExpiredError';
  }
}
