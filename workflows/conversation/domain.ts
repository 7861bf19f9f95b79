/** What a conversation is made of, as the workflow and every floor below it speak of it (db/schema.ts stores these). */

export type ChannelProvider = 'sandbox' | 'baileys';
/** How a linked number's conversations run (DESIGN §4). */
export type ChannelType = 'web' | 'qr_first' | 'notifications';
export type ConversationMode = 'ai' | 'human' | 'handoff_requested';
export type MessageAuthor = 'customer' | 'ai' | 'agent' | 'system';

export type MediaKind = 'image' | 'audio' | 'video' | 'document' | 'sticker';

export interface RichContent {
  buttons?: { id: string; title: string }[];
  list?: { title: string; items: { id: string; title: string; description?: string }[] };
}

/** A shared location, as DESIGN §11 names its fields. */
export interface SharedLocation {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
  /** A live location: where it was when it was shared. */
  live?: boolean;
}

/** A contact card (the first of several, when a message shares more). */
export interface SharedContact {
  name: string;
  phones: string[];
}
