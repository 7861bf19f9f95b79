import { baseMimeType } from './kinds.js';

/** How many leading bytes `matchesType` needs to decide. */
export const SNIFF_BYTES = 16;

const starts = (bytes: Uint8Array, signature: number[], at = 0) => signature.every((b, i) => bytes[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const isMp4Family = (b: Uint8Array) => starts(b, ascii('ftyp'), 4);

/**
 * Whether a file's first bytes are what its declared type says, by the formats' own signatures
 * (magic numbers). A mislabelled file would reach the customer as something their phone cannot
 * open, so it is refused before any of it is stored.
 */
export function matchesType(mimeType: string, head: Uint8Array): boolean {
  switch (baseMimeType(mimeType)) {
    case 'image/jpeg':
      return starts(head, [0xff, 0xd8, 0xff]);
    case 'image/png':
      return starts(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'image/webp':
      return starts(head, ascii('RIFF')) && starts(head, ascii('WEBP'), 8);
    case 'audio/ogg':
      return starts(head, ascii('OggS'));
    case 'audio/mpeg':
      return starts(head, ascii('ID3')) || (head[0] === 0xff && (head[1]! & 0xe0) === 0xe0);
    case 'audio/aac':
      return head[0] === 0xff && (head[1]! & 0xf6) === 0xf0;
    case 'audio/amr':
      return starts(head, ascii('#!AMR'));
    case 'audio/mp4':
    case 'video/mp4':
    case 'video/3gpp':
      return isMp4Family(head);
    case 'application/pdf':
      return starts(head, ascii('%PDF-'));
    case 'application/msword':
    case 'application/vnd.ms-excel':
    case 'application/vnd.ms-powerpoint':
      return starts(head, OLE);
    case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
    case 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet':
    case 'application/vnd.openxmlformats-officedocument.presentationml.presentation':
      return starts(head, ZIP);
    case 'text/plain':
      // Text has no signature: it is text when it holds no NUL and no other binary control bytes.
      return head.every((b) => b >= 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0c || b === 0x1b);
    default:
      return false;
  }
}
