import { z } from 'zod';
import { e164, fileName, optionalText, text } from './schemas.js';

/** What a message carries besides text, as requests give it and answers show it (DESIGN §11). */

export const MEDIA_KINDS = ['image', 'audio', 'video', 'document', 'sticker'] as const;

export const mediaView = z
  .object({
    id: z.string(),
    kind: z.enum(MEDIA_KINDS),
    mime_type: z.string(),
    size: z.number().int(),
    filename: z.string().optional(),
    voice: z.literal(true).optional(),
    duration_s: z.number().int().optional(),
    transcript: z.string().optional().describe("A voice note's words, as the transcriber heard them"),
    expired: z.literal(true).optional().describe('The bytes were deleted after CATY_MEDIA_RETENTION_DAYS; the description stays'),
  })
  .describe('A photo, voice note, video, document or sticker; its bytes at GET /api/media/{id}');

export const locationInput = z
  .object({
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    name: optionalText(300).optional(),
    address: optionalText(500).optional(),
  })
  .strict();
export const locationView = locationInput.extend({ live: z.boolean().optional().describe("a live location, as it was when shared") });

export const contactInput = z
  .object({
    name: text(200),
    phones: z.array(e164).min(1, 'must have at least one phone number').max(10, 'at most 10 phone numbers'),
  })
  .strict();
export const contactView = z.object({ name: z.string(), phones: z.array(z.string()) });

/** The views every message shape adds. */
export const attachmentFields = { media: mediaView.optional(), location: locationView.optional(), contact: contactView.optional() };

/** Standard base64 (RFC 4648). One character class: a pattern with groups would recurse per character on a file of megabytes. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const sandboxMediaInput = z
  .object({
    kind: z.enum(MEDIA_KINDS),
    mime_type: z.string().min(3).max(100).regex(/^[a-z0-9.+-]+\/[a-z0-9.+-]+(?:; ?[a-z0-9=.+-]+)*$/i, 'must be a MIME type such as "image/jpeg"'),
    data: z.string().min(4, 'must hold the file, base64-encoded').regex(BASE64, 'must be base64 (standard alphabet)').describe('The file, base64-encoded (the route takes bodies up to 24 MiB)'),
    filename: fileName().optional(),
    voice: z.boolean().optional().describe('A voice note recorded in the chat (audio only)'),
  })
  .strict();
