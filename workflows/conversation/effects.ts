import type { ComposedReply, HandleCustomerMessageInput, HandleCustomerMessageResult } from './activity-types.js';
import type { ConversationMode, MessageAuthor, RichContent } from './domain.js';
import type { Lead } from '../leads/extract.js';
import type { ConversationSettings } from './state.js';
import type { InboundSignal, MediaRef } from './signals.js';

/**
 * Everything a conversation does to the outside world, as data. The decisions (steps.ts) yield
 * effects in order; the workflow runs each one with an activity or a Temporal command and hands
 * the result back. Keeping the order of effects is what keeps recorded histories replayable.
 */
export type Effect =
  /** Store, detect, compose: the activity that comes before any reply. */
  | { kind: 'handleCustomerMessage'; input: Omit<HandleCustomerMessageInput, 'conversationId' | 'widgetId' | 'customerPhone'> }
  /** Caty's answer from the configured model: a few tries, then the knowledge base answers. */
  | { kind: 'composeReply'; messageId: string; text: string; language: string; mediaId?: string }
  /** A voice note's words, from the transcriber: a few tries, then null (Caty asks the customer to write). */
  | { kind: 'transcribe'; mediaId: string }
  /** A message typed on the business phone in the customer's chat. */
  | { kind: 'recordAgentMessage'; message: InboundSignal }
  | { kind: 'markRead'; messageIds: string[] }
  | { kind: 'typing' }
  | { kind: 'send'; send: Send }
  /** Removes a command typed in the customer's chat, so the customer never sees it. */
  | { kind: 'deleteChatMessage'; messageId: string }
  | { kind: 'saveMode'; mode: ConversationMode; actor: string; reason: string }
  | { kind: 'saveLead'; lead: Lead; announce: boolean }
  | { kind: 'recordEvent'; eventKind: string; actor: string | null; reason: string | null; data: Record<string, unknown> }
  | { kind: 'scheduleLeadCall' }
  | { kind: 'loadSettings' }
  /** Search attributes (Temporal UI) for what changed; current details always. */
  | { kind: 'publish'; mode?: boolean; language?: boolean; lead?: boolean }
  /** A piece of work that could not be done: recorded, visible, and the conversation goes on. */
  | { kind: 'recordFailure'; failure: WorkFailure };

/** A message Caty or an agent sends: to the customer's chat, or to one of the business's phones. */
export interface Send {
  to: { customer: true } | { business: string };
  text: string;
  rich?: RichContent | null;
  /** A file, by id (`text` is its caption). */
  media?: MediaRef | null;
  /** The same key never sends twice, across retries, crashes and continue-as-new. */
  idempotencyKey: string;
  author: MessageAuthor;
  language?: string | null;
  /** When the customer message this answers was accepted, for the accept-to-reply latency. */
  acceptedAt?: string | null;
}

export interface WorkFailure {
  /** `send` when a message could not go out; `work` when a piece of work had to be skipped. */
  what: 'send' | 'work';
  /** The message concerned: the send's idempotency key, or the inbound message id. */
  messageKey: string | null;
  text: string | null;
  author: MessageAuthor | null;
  /** For sends: it was meant for the customer's chat (not one of the business's phones). */
  toCustomer?: boolean;
  error: string;
}

/** What running each effect gives back to the decisions. */
export interface EffectResults {
  handleCustomerMessage: HandleCustomerMessageResult;
  composeReply: ComposedReply;
  transcribe: { transcript: string | null };
  saveLead: { alertTo: string | null };
  scheduleLeadCall: boolean;
  loadSettings: ConversationSettings;
}

export type ResultOf<E extends Effect> = E['kind'] extends keyof EffectResults ? EffectResults[E['kind']] : void;

/** A sequence of decisions: yields effects, receives their results. */
export type Steps = Generator<Effect, void, unknown>;

/** Yields one effect and types what comes back (`const r = yield* perform(effect)`). */
export function* perform<E extends Effect>(effect: E): Generator<Effect, ResultOf<E>, unknown> {
  return (yield effect) as ResultOf<E>;
}

/**
 * An effect that failed for good (its activity gave up or could never succeed). Thrown into the
 * decisions, which decide what a failure means; plain data, so decisions stay Temporal-free.
 */
export class EffectFailed extends Error {
  constructor(
    readonly effect: Effect['kind'],
    message: string,
  ) {
    super(message);
    this.name = 'EffectFailed';
  }
}
