import { normalizeMessageContent, toNumber, type WAMessage, type proto } from '@whiskeysockets/baileys';
import type { MediaKind, SharedContact, SharedLocation } from '../../../workflows/conversation/domain.js';
import { isIgnoredChat, isLid, phoneFromJid } from './jids.js';

/** A photo, voice note, video, document or sticker, before its bytes are downloaded. */
export interface MappedMedia {
  kind: MediaKind;
  mimeType: string;
  filename?: string;
  voice?: boolean;
  durationS?: number;
  /** The message's media part alone (`{imageMessage: ...}`): what the download needs. */
  content: proto.IMessage;
}

/** A chat message reduced to what a conversation needs, before menu answers are resolved. */
export interface MappedText {
  kind: 'text';
  id: string;
  customerPhone: string;
  fromMe: boolean;
  text: string;
  /** Set when WhatsApp itself says which button or list row was tapped (older clients). */
  replyId?: string;
  timestamp: Date;
  /** With an attachment, `text` is its caption ("" when none). */
  media?: MappedMedia;
  location?: SharedLocation;
  contact?: SharedContact;
}

/** A poll vote: encrypted, so it is decrypted against the poll we stored when we sent it. */
export interface MappedPollVote {
  kind: 'poll_vote';
  id: string;
  customerPhone: string;
  fromMe: boolean;
  pollMessageId: string;
  /** The JIDs the vote may be encrypted for: the sender's PN and LID forms. */
  voterJids: string[];
  vote: proto.Message.IPollEncValue;
  timestamp: Date;
}

export type MappedMessage = MappedText | MappedPollVote;

/** Resolves a LID ("12345@lid") to the phone-number JID, from Baileys' LID mapping store. */
export type LidResolver = (lid: string) => Promise<string | null | undefined>;

/** The text a customer typed, from whichever message shape carries it. */
export function messageText(content: proto.IMessage): { text: string; replyId?: string } | undefined {
  if (content.conversation) return { text: content.conversation };
  if (content.extendedTextMessage?.text) return { text: content.extendedTextMessage.text };
  const caption = content.imageMessage?.caption ?? content.videoMessage?.caption ?? content.documentMessage?.caption;
  if (caption) return { text: caption };
  const button = content.buttonsResponseMessage;
  if (button?.selectedButtonId) return { text: button.selectedDisplayText ?? button.selectedButtonId, replyId: button.selectedButtonId };
  const row = content.listResponseMessage?.singleSelectReply?.selectedRowId;
  if (row) return { text: content.listResponseMessage?.title ?? row, replyId: row };
  const template = content.templateButtonReplyMessage;
  if (template?.selectedId) return { text: template.selectedDisplayText ?? template.selectedId, replyId: template.selectedId };
  const flow = content.interactiveResponseMessage;
  if (flow) {
    const id = nativeFlowId(flow.nativeFlowResponseMessage?.paramsJson);
    const text = flow.body?.text ?? id;
    if (text) return { text, ...(id ? { replyId: id } : {}) };
  }
  return undefined;
}

function nativeFlowId(paramsJson: string | null | undefined): string | undefined {
  if (!paramsJson) return undefined;
  try {
    const params = JSON.parse(paramsJson) as { id?: unknown };
    return typeof params.id === 'string' ? params.id : undefined;
  } catch {
    return undefined;
  }
}

const MEDIA_PARTS = ['imageMessage', 'videoMessage', 'ptvMessage', 'audioMessage', 'documentMessage', 'stickerMessage'] as const;

const seconds = (value: number | null | undefined) => (value && value > 0 ? Math.round(value) : undefined);

/** The file a message carries (view-once, disappearing and captioned-document wrappers already removed). */
export function messageMedia(content: proto.IMessage): MappedMedia | undefined {
  const part = MEDIA_PARTS.find((name) => content[name]);
  if (!part) return undefined;
  const media = content[part]!;
  const declared = (media.mimetype ?? '').trim();
  switch (part) {
    case 'imageMessage':
      return { kind: 'image', mimeType: declared || 'image/jpeg', content: { imageMessage: content.imageMessage! } };
    case 'videoMessage':
    case 'ptvMessage': {
      const video = content[part]!;
      return { kind: 'video', mimeType: declared || 'video/mp4', ...(seconds(video.seconds) ? { durationS: seconds(video.seconds)! } : {}), content: { videoMessage: video } };
    }
    case 'audioMessage': {
      const audio = content.audioMessage!;
      return {
        kind: 'audio',
        mimeType: declared || 'audio/ogg; codecs=opus',
        ...(audio.ptt ? { voice: true } : {}),
        ...(seconds(audio.seconds) ? { durationS: seconds(audio.seconds)! } : {}),
        content: { audioMessage: audio },
      };
    }
    case 'documentMessage': {
      const document = content.documentMessage!;
      const filename = document.fileName ?? document.title ?? undefined;
      // A document may be of any type; a photo sent as a document is still shown as one.
      return { kind: 'document', mimeType: declared || 'application/octet-stream', ...(filename ? { filename } : {}), content: { documentMessage: document } };
    }
    case 'stickerMessage':
      return { kind: 'sticker', mimeType: declared || 'image/webp', content: { stickerMessage: content.stickerMessage! } };
  }
}

/** A shared location, or a live location as it was when shared. */
export function messageLocation(content: proto.IMessage): SharedLocation | undefined {
  const fixed = content.locationMessage;
  const live = content.liveLocationMessage;
  const place = fixed ?? live;
  if (!place || typeof place.degreesLatitude !== 'number' || typeof place.degreesLongitude !== 'number') return undefined;
  return {
    latitude: place.degreesLatitude,
    longitude: place.degreesLongitude,
    ...(fixed?.name ? { name: fixed.name } : {}),
    ...(fixed?.address ? { address: fixed.address } : {}),
    ...(live ? { live: true } : {}),
  };
}

/** `TEL;type=CELL;waid=40721234567:+40 721 234 567` -> `+40721234567`. */
function vcardPhones(vcard: string | null | undefined): string[] {
  const phones = new Set<string>();
  for (const line of (vcard ?? '').split(/\r?\n/)) {
    if (!/^(item\d+\.)?TEL/i.test(line)) continue;
    const waid = /waid=(\d{7,15})/i.exec(line)?.[1];
    const written = line.slice(line.lastIndexOf(':') + 1).replace(/[^\d+]/g, '');
    const digits = waid ?? (written.startsWith('+') ? written.slice(1) : written);
    if (/^\d{7,15}$/.test(digits)) phones.add(`+${digits}`);
  }
  return [...phones];
}

/** A contact card; of several, the first (the others are named in the text). */
export function messageContacts(content: proto.IMessage): { contact: SharedContact; others: SharedContact[] } | undefined {
  const cards = content.contactMessage ? [content.contactMessage] : (content.contactsArrayMessage?.contacts ?? []);
  const contacts = cards.map((card) => ({ name: card.displayName ?? /\nFN:(.*)/.exec(card.vcard ?? '')?.[1]?.trim() ?? '', phones: vcardPhones(card.vcard) })).filter((c) => c.name || c.phones.length);
  if (contacts.length === 0) return undefined;
  return { contact: contacts[0]!, others: contacts.slice(1) };
}

async function customerPhone(key: proto.IMessageKey & { remoteJidAlt?: string }, resolveLid: LidResolver): Promise<string | undefined> {
  const direct = phoneFromJid(key.remoteJid) ?? phoneFromJid(key.remoteJidAlt);
  if (direct) return direct;
  // v7 addresses many chats by LID; the PN is in remoteJidAlt or in the mapping store.
  for (const jid of [key.remoteJid, key.remoteJidAlt]) {
    if (isLid(jid)) {
      const pn = await resolveLid(jid);
      const phone = phoneFromJid(pn);
      if (phone) return phone;
    }
  }
  return undefined;
}

/**
 * Maps one upserted message to a conversation message, or undefined for what conversations ignore:
 * groups, broadcasts, status, newsletters, protocol messages (edits and deletions among them),
 * reactions, and senders whose phone number cannot be known. Photos, voice notes, videos,
 * documents, stickers, locations and contact cards are kept, view-once ones included.
 */
export async function mapMessage(message: WAMessage, resolveLid: LidResolver): Promise<MappedMessage | undefined> {
  const key = message.key;
  if (!key?.id || isIgnoredChat(key.remoteJid)) return undefined;
  const content = normalizeMessageContent(message.message);
  if (!content) return undefined;
  const phone = await customerPhone(key, resolveLid);
  if (!phone) return undefined;
  const fromMe = Boolean(key.fromMe);
  const seconds = message.messageTimestamp ? toNumber(message.messageTimestamp) : 0;
  const timestamp = seconds > 0 ? new Date(seconds * 1000) : new Date();

  const poll = content.pollUpdateMessage;
  if (poll?.vote && poll.pollCreationMessageKey?.id) {
    const voterJids = [key.remoteJid, key.remoteJidAlt].filter((j): j is string => Boolean(j));
    return { kind: 'poll_vote', id: key.id, customerPhone: phone, fromMe, pollMessageId: poll.pollCreationMessageKey.id, voterJids, vote: poll.vote, timestamp };
  }
  const base = { kind: 'text' as const, id: key.id, customerPhone: phone, fromMe, timestamp };
  const text = messageText(content);
  const media = messageMedia(content);
  if (media) return { ...base, text: text?.text ?? '', media };
  const location = messageLocation(content);
  if (location) return { ...base, text: content.liveLocationMessage?.caption ?? '', location };
  const contacts = messageContacts(content);
  if (contacts) {
    // One card on the message; any others are named in its text, so none is lost.
    const others = contacts.others.map((c) => `${c.name} ${c.phones.join(', ')}`.trim()).join('\n');
    return { ...base, text: others, contact: contacts.contact };
  }
  if (!text || !text.text.trim()) return undefined;
  return { ...base, text: text.text, ...(text.replyId ? { replyId: text.replyId } : {}) };
}
