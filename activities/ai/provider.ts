import type { KnowledgeEntry } from '../../workflows/widgets/knowledge.js';

export interface AiWidgetProfile {
  id: string;
  name: string;
  assistantName: string;
  personality: string | null;
  defaultLanguage: string;
  knowledgeBase: KnowledgeEntry[];
  /** Changes whenever the widget does: lets providers cache per-widget work. */
  version: string;
}

export interface ConversationTurn {
  author: 'customer' | 'ai' | 'agent' | 'system';
  text: string;
}

export interface AiRequest {
  widget: AiWidgetProfile;
  /** The customer's message. */
  message: string;
  /** The customer's language (ISO 639-1). */
  language: string;
  /**
   * The turns before this message, oldest first, for providers that use context (loaded only
   * when asked for). The message itself is not among them.
   */
  history: () => Promise<ConversationTurn[]>;
  /** A photo the customer sent with (or as) the message, for providers that see images. */
  image?: { mimeType: string; data: Buffer };
}

export interface AiAnswer {
  text: string;
  /** The knowledge-base question (in the widget's default language) the answer came from. */
  topic: string | null;
  /** 0..1 */
  confidence: number;
  /** The language `text` is written in: the customer's, or the widget's default when the entry has no translation. */
  language: string;
  /** Where the answer came from: a typed entry, or a passage of a page or file (with its address or name). */
  source?: { kind: 'entry'; question: string } | { kind: 'passage'; url: string; title: string; sourceType: 'website' | 'file' } | null;
}

/**
 * Turns a customer's message into Caty's answer; null when the knowledge base does not answer it.
 * A provider that depends on a service throws `AiUnavailableError` when the service is down for
 * now (the caller retries, then asks the knowledge base), and answers from the knowledge base
 * itself when the service can never work as configured.
 */
export interface AiProvider {
  readonly name: string;
  /** A customer's photo can go to it (a vision model). */
  readonly seesImages?: boolean;
  answer(request: AiRequest): Promise<AiAnswer | null>;
}
