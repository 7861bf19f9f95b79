import type { ChannelType, ConversationMode } from './domain.js';

/** What Caty does with a customer's message. */
export type CustomerMessageRoute = 'silent' | 'greet' | 'answer';

/**
 * Routing by the linked channel type (DESIGN §4): `notifications` never replies, `qr_first`
 * greets and asks for the customer's name before the AI flow, `web` goes straight to the AI.
 * Outside `ai` mode a person is (or is about to be) in charge, so Caty keeps quiet.
 */
export function routeCustomerMessage(channelType: ChannelType, mode: ConversationMode, greeted: boolean): CustomerMessageRoute {
  if (channelType === 'notifications') return 'silent';
  if (mode !== 'ai') return 'silent';
  if (channelType === 'qr_first' && !greeted) return 'greet';
  return 'answer';
}

const SOURCE_PATTERN = /(?:^|[\s(\[{,;])(?:ref|src|source|sursa|sursă|utm_source|campaign)\s*[:=#]\s*([\p{L}\p{N}][\p{L}\p{N}_.\-]{0,63})/iu;

/**
 * The reference a wa.me deep link (the QR a business prints) pre-fills into the first
 * message, e.g. "Buna! (ref: flyer-mai)". Null when the message carries none.
 */
export function extractSource(text: string): string | null {
  const match = SOURCE_PATTERN.exec(text);
  return match ? match[1]!.replace(/[.\-_]+$/, '') : null;
}
