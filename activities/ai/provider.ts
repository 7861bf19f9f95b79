import type { KnowledgeEntry } from '../../db/schema.js';

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

export interface AiRequest {
  widget: AiWidgetProfile;
  /** The customer's message. */
  message: string;
  /** The customer's language (ISO 639-1). */
  language: string;
  /** Recent turns, oldest first, for providers that use context (loaded only when asked for). */
  history: () => Promise<{ author: 'customer' | 'ai' | 'agent' | 'system'; text: string }[]>;
}

export interface AiAnswer {
  text: string;
  /** The knowledge-base question the answer came from, when it came from one. */
  topic: string | null;
  /** 0..1 */
  confidence: number;
}

/** Turns a customer's message into Caty's answer; null when it has nothing good to say. */
export interface AiProvider {
  readonly name: string;
  answer(request: AiRequest): Promise<AiAnswer | null>;
}
