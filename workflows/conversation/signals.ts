import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ConversationLink, ConversationSnapshot } from './state.js';
import type { MediaKind, RichContent, SharedContact, SharedLocation } from './domain.js';

/**
 * A file in a message, by id: its bytes were stored by the process that received it, and never
 * travel through a signal, an activity's input or a history (DESIGN §11).
 */
export interface MediaRef {
  id: string;
  kind: MediaKind;
  /** A voice note (recorded in the chat), as opposed to an audio file. */
  voice?: boolean;
}

/** What a message carries besides its text (then the caption, "" when none). */
export interface Attachment {
  media?: MediaRef | null;
  location?: SharedLocation | null;
  contact?: SharedContact | null;
}

/**
 * Every signal carries the number's link as it was when the signal was sent, so a conversation
 * follows a number linked again to another channel or channel type. Absent in older signals.
 */
export interface LinkedSignal {
  link?: ConversationLink;
}

/** A message in the customer's chat: from the customer, or typed on the business phone (`fromMe`). */
export interface InboundSignal extends LinkedSignal, Attachment {
  id: string;
  text: string;
  fromMe: boolean;
  replyId?: string | null;
  /** ISO time the provider saw the message. */
  at: string;
  /**
   * For a message typed on the business phone: the admin command it is (`PREIA`, `/caty on`),
   * or null for an ordinary message; read where the message is received, so the conversation
   * branches on what its history recorded. Absent in signals sent before: the workflow reads it.
   */
  command?: AdminCommandName | null;
  /**
   * Set when the sender is one of the business's admins whose command could not be carried out:
   * the notice is the answer they get instead of an AI reply.
   */
  notice?: string | null;
}

/** `schedule_call`: the business answered a lead alert with CALL. */
export type AdminCommandName = 'takeover' | 'resume' | 'schedule_call';

export interface AdminCommandSignal extends LinkedSignal {
  command: AdminCommandName;
  /** Who gave it: a phone number, an account id, "api". */
  by: string;
  via: 'chat' | 'admin_phone' | 'api';
  /** The provider message id when the command was typed in a chat (so it can be deleted). */
  messageId?: string | null;
  /** The phone that should get the confirmation, when it is not the business phone. */
  confirmTo?: string | null;
}

/** A message the business sends through the API, ordered with the rest of the conversation. */
export interface OutboundSignal extends LinkedSignal {
  /** Idempotency key: the same key never sends twice. */
  id: string;
  text: string;
  rich?: RichContent | null;
  /** A file to send (uploaded with POST /api/media); `text` is then its caption. */
  media?: MediaRef | null;
}

export const inboundSignal = defineSignal<[InboundSignal]>('inbound');
/** Several messages of one chat that reached the service together: each as if it were `inbound`. */
export const inboundBatchSignal = defineSignal<[InboundSignal[]]>('inboundBatch');
export const adminCommandSignal = defineSignal<[AdminCommandSignal]>('adminCommand');
export const outboundSignal = defineSignal<[OutboundSignal]>('outbound');
export const stateQuery = defineQuery<ConversationSnapshot>('state');
