import type { ChannelType, ConversationMode, MessageAuthor, RichContent } from './domain.js';
import type { HoursStatus } from '../hours/business-hours.js';
import type { Lead, LeadFacts } from '../leads/extract.js';
import type { WorkFailure } from './effects.js';
import type { CustomerMessageRoute } from './router.js';
import type { InboundSignal, MediaRef } from './signals.js';
import type { ConversationLink, ConversationSettings } from './state.js';

/**
 * What the conversation workflow asks of its activities (activities/conversation/), as types: the
 * workflow imports them from here, so workflow code never imports the activities' modules. The
 * names are the ones registered with the worker and recorded in histories: they never change.
 */

/** The channel a message came in on (the metrics' label). */
export type MessageChannel = 'whatsapp' | 'web';

/** What the conversation knows when one of its customer's messages is read (workflow state). */
export interface ReadingContext {
  mode: ConversationMode;
  channelType: ChannelType;
  greeted: boolean;
  /** The message carries an admin's notice instead of a question (see InboundSignal.notice). */
  notice: boolean;
  /** The assistant has just asked for the customer's name: a message that is only a name counts. */
  expectName: boolean;
  /** Workflow time, epoch ms: the business hours are read at the conversation's own clock. */
  now: number;
}

/**
 * A customer message read with everything that changes between releases: the handoff cues of 60
 * languages, the name cues and phone-number metadata behind leads, the time-zone data behind
 * business hours. The activity that stores the message reads it, so the conversation's history
 * records these answers and its decisions replay the same on any later release.
 */
export interface MessageReading {
  /** The customer asks for a person (and nothing stops that counting: Caty answers, not a notice). */
  wantsPerson: boolean;
  route: CustomerMessageRoute;
  /** The business's opening hours now, in the customer's language; null when it keeps none. */
  hours: HoursStatus | null;
  lead: LeadFacts;
}
export interface HandleCustomerMessageInput {
  customerPhone: string;
  /** The conversation's number for this piece of work: tells its own retries from redeliveries. */
  ingestKey: string;
  conversationId: string;
  widgetId: string;
  message: InboundSignal;
  previousLanguage: string | null;
  /** Set on the conversation's first customer message when it carries a QR/deep-link reference. */
  source?: string | null;
  /**
   * The conversation's state for reading the message here (see read-message.ts); the route then
   * is decided here too. Absent in histories recorded before: `route` is the workflow's.
   */
  reading?: ReadingContext;
  route?: CustomerMessageRoute;
  /** Absent in histories recorded before the metrics counted channels: WhatsApp. */
  channel?: MessageChannel;
  /**
   * A voice note's words (null: it could not be transcribed). Set only for messages with an
   * attachment, where the conversation reads what it carries (absent in older histories).
   */
  transcript?: string | null;
  /**
   * Deliver the reply written here (the knowledge base's, a greeting) in this same activity, on a
   * channel this worker reaches itself: the website (`channelId` null) or a sandbox number. The
   * workflow asks only when nothing has to come before the reply.
   */
  deliverReply?: { channelId: string | null } | null;
}

export interface HandleCustomerMessageResult {
  language: string;
  confidence: number;
  defaultLanguage: string;
  /** A reply to this message was already sent (by an earlier run of this conversation). */
  alreadyAnswered: boolean;
  /** Stored for this piece of work (now or by a retried call); false for a redelivery of an old message. */
  firstDelivery: boolean;
  /** What Caty would answer; null when the route is silent or the message was answered. */
  reply: ComposedReply | null;
  /**
   * The answer is left to the workflow (`composeReply`): the configured provider is a model that
   * gets its own bounded retries before the knowledge base answers. Absent in older results.
   */
  replyDeferred?: boolean;
  /** The message as read here, when the workflow asked (`reading`). */
  read?: MessageReading;
  /** The widget's current settings, so changes reach running conversations. */
  settings: ConversationSettings;
  /** The reply went out here (see `deliverReply`); absent: the workflow sends it. */
  replyDelivered?: boolean;
}

export interface WebReply {
  conversationId: string;
  /** Absent in histories recorded before web replies were announced to webhooks. */
  widgetId?: string;
  visitor?: string;
  idempotencyKey: string;
  text: string;
  rich: RichContent | null;
  author: MessageAuthor;
  language: string | null;
  acceptedAt?: string | null;
  /** A file a person sends the visitor (absent in older histories). */
  media?: MediaRef | null;
}

export interface ComposedReply {
  text: string;
  topic: string | null;
  fromKnowledgeBase: boolean;
  /** The language the reply is really written in, when it differs from the customer's. */
  language?: string;
}


/** The conversation's activities, by the names the worker registers (a type, not an interface: the worker takes it as a record of functions). */
export type ConversationActivities = {
  /**
   * Stores a customer message (once), detects its language, updates the conversation and, when
   * the workflow asks for one, writes Caty's reply.
   */
  handleCustomerMessage(input: HandleCustomerMessageInput): Promise<HandleCustomerMessageResult>;
  /** A reply in a web conversation. Keyed like a WhatsApp send, so a retry stores it once. */
  recordWebReply(input: WebReply): Promise<void>;
  /** The WhatsApp number a web conversation alerts the business from; null when the widget has none. */
  findAlertChannel(input: { widgetId: string }): Promise<ConversationLink | null>;
  /** A message typed on the business phone in the customer's chat: the agent speaking. */
  recordAgentMessage(input: { conversationId: string; widgetId: string; customerPhone: string; message: InboundSignal }): Promise<void>;
  /** Keeps the conversation's lead current; says where the WhatsApp alert goes when it was just captured or its score rose. */
  saveLead(input: { conversationId: string; widgetId: string; customerPhone: string; lead: Lead; announce: boolean }): Promise<{ alertTo: string | null }>;
  /** `CALL` from the alert phone: the lead is marked for a call; false when there is no lead. */
  scheduleLeadCall(input: { conversationId: string }): Promise<boolean>;
  loadConversationSettings(input: { widgetId: string }): Promise<ConversationSettings>;
  /** Something that happened to the conversation besides messages (an alert sent, a timer fired). */
  recordConversationEvent(input: { eventId: string; conversationId: string; kind: string; actor: string | null; reason: string | null; data: Record<string, unknown> }): Promise<void>;
  /** Work the conversation had to give up on: a message that could not be sent, or an inbound one whose handling can never succeed. */
  recordWorkFailure(input: { eventId: string; conversationId: string; widgetId: string; customerPhone: string; failure: WorkFailure }): Promise<void>;
  /** `eventId` comes from the workflow, so a retried call stores the change once. */
  saveConversationMode(input: { eventId: string; conversationId: string; widgetId: string; customerPhone: string; mode: ConversationMode; actor: string; reason: string }): Promise<void>;
};
