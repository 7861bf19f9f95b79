import { normalizeMessageContent, toNumber, type WAMessage, type proto } from '@whiskeysockets/baileys';
import { isIgnoredChat, isLid, phoneFromJid } from './jids.js';

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
 * groups, broadcasts, status, newsletters, protocol messages, reactions, media without a caption,
 * and senders whose phone number cannot be known.
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
  const text = messageText(content);
  if (!text || !text.text.trim()) return undefined;
  return { kind: 'text', id: key.id, customerPhone: phone, fromMe, text: text.text, ...(text.replyId ? { replyId: text.replyId } : {}), timestamp };
}
