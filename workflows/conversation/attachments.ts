import type { MessageKey } from '../i18n/catalogue.js';
import type { Attachment } from './signals.js';

/** A photo, voice note, video, document, sticker, location or contact card. */
export function hasAttachment(message: Attachment): boolean {
  return Boolean(message.media || message.location || message.contact);
}

/**
 * The catalogue reply to an attachment with nothing to answer in words (no caption, no words
 * heard): a voice note nobody could transcribe asks the customer to write; a sticker is only a
 * feeling and gets none; anything else is acknowledged.
 */
export function attachmentReply(message: Attachment): MessageKey | null {
  if (message.media?.kind === 'audio') return 'voiceNoteUnsupported';
  if (message.media?.kind === 'sticker') return null;
  return 'attachmentReceived';
}
