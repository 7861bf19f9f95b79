/** A widget's knowledge base and greeting, as the workflow's catalogue and the AI read them (db/schema.ts stores them). */

/** An entry's question and answer in another language than the widget's default. */
export interface KnowledgeTranslation {
  question?: string;
  answer: string;
  alternatives?: string[];
}

/** A knowledge-base entry, written in the widget's default language, with optional translations. */
export interface KnowledgeEntry {
  question: string;
  answer: string;
  /** Other ways customers ask the same question. */
  alternatives?: string[];
  /** Keyed by ISO 639-1 language code. */
  translations?: Record<string, KnowledgeTranslation>;
}

/** The web widget's own greeting: in the widget's default language, with translations keyed by ISO 639-1 code. */
export interface WidgetGreeting {
  text: string;
  translations?: Record<string, string>;
}
