import type { MediaKind } from '../workflows/conversation/domain.js';

export type { MediaKind };

const MB = 1024 * 1024;

/** WhatsApp's limits per kind (DESIGN §11): past them a file is refused (413). */
export const MEDIA_LIMITS: Record<MediaKind, number> = {
  image: 5 * MB,
  audio: 16 * MB,
  video: 16 * MB,
  document: 100 * MB,
  sticker: 500 * 1024,
};

/** What a web visitor may upload: images and PDF, up to 10 MB. */
export const VISITOR_LIMIT = 10 * MB;
export const VISITOR_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;

/**
 * The types WhatsApp carries, and the kind each is sent as. Anything else is refused (415):
 * WhatsApp would not deliver it, or not as what it claims to be.
 */
export const MEDIA_TYPES: Record<string, MediaKind> = {
  'image/jpeg': 'image',
  'image/png': 'image',
  'image/webp': 'sticker',
  'audio/ogg': 'audio',
  'audio/mpeg': 'audio',
  'audio/mp4': 'audio',
  'audio/aac': 'audio',
  'audio/amr': 'audio',
  'video/mp4': 'video',
  'video/3gpp': 'video',
  'application/pdf': 'document',
  'text/plain': 'document',
  'application/msword': 'document',
  'application/vnd.ms-excel': 'document',
  'application/vnd.ms-powerpoint': 'document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'document',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'document',
};

/** `audio/ogg; codecs=opus` -> `audio/ogg`. */
export function baseMimeType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

/** The kind a type is carried as, or undefined when WhatsApp cannot carry it. */
export function kindOf(mimeType: string): MediaKind | undefined {
  return MEDIA_TYPES[baseMimeType(mimeType)];
}
