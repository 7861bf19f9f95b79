import { isJidBroadcast, isJidGroup, isJidNewsletter, isJidStatusBroadcast, isLidUser, isPnUser, jidDecode, jidNormalizedUser } from '@whiskeysockets/baileys';

/** "+40712345678" from "40712345678:12@s.whatsapp.net"; undefined for anything that is not a phone JID. */
export function phoneFromJid(jid: string | null | undefined): string | undefined {
  if (!jid || !isPnUser(jid)) return undefined;
  const user = jidDecode(jid)?.user;
  return user && /^\d{6,15}$/.test(user) ? `+${user}` : undefined;
}

export function jidFromPhone(phone: string): string {
  return `${phone.replace(/^\+/, '')}@s.whatsapp.net`;
}

export function isLid(jid: string | null | undefined): jid is string {
  return Boolean(jid && isLidUser(jid));
}

/** Chats we never answer: groups, broadcast lists, status updates and channels (newsletters). */
export function isIgnoredChat(jid: string | null | undefined): boolean {
  if (!jid) return true;
  return Boolean(isJidGroup(jid) || isJidStatusBroadcast(jid) || isJidBroadcast(jid) || isJidNewsletter(jid));
}

export function normalisedJid(jid: string): string {
  return jidNormalizedUser(jid);
}
