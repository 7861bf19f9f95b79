import type { KnowledgeEntry } from '../../workflows/widgets/knowledge.js';
import type { ConversationTurn } from './provider.js';

/** The text the model answers with when the entries do not answer, in plain mode. */
export const NO_ANSWER = 'NO_ANSWER';

/** How many earlier turns go with the question. */
export const HISTORY_TURNS = 10;

export type AnswerFormat = 'json_schema' | 'plain';

export interface PromptInput {
  assistantName: string;
  businessName: string;
  personality: string | null;
  /** The customer's language (ISO 639-1). */
  language: string;
  /** The retrieved entries, best first, each in the customer's language where it has one. */
  entries: { question: string; answer: string }[];
  /** Passages of the business's pages and files retrieved for the message, numbered after the entries. */
  passages?: { title: string; url: string; text: string }[];
  history: ConversationTurn[];
  message: string;
  format: AnswerFormat;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The structured answer: whether the entries answer, which one, and the reply. */
export const ANSWER_SCHEMA = {
  name: 'grounded_answer',
  strict: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['answered', 'entry', 'answer'],
    properties: {
      answered: { type: 'boolean', description: 'true only when the entries answer the message (or it is a greeting or thanks)' },
      entry: { type: 'integer', description: 'the number of the entry the answer uses; 0 for none' },
      answer: { type: 'string', description: "the reply to the customer, in the customer's language; empty when not answered" },
    },
  },
} as const;

export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** An entry in the customer's language when it has a translation, else as written. */
export function entryFor(entry: KnowledgeEntry, language: string, baseLanguage: string): { question: string; answer: string } {
  const translation = language === baseLanguage ? undefined : entry.translations?.[language];
  return { question: translation?.question ?? entry.question, answer: translation?.answer ?? entry.answer };
}

/**
 * The conversation sent to the model: who it is, the retrieved entries (only those, not the whole
 * base), the rules (facts only from the entries, the customer's language, brief for WhatsApp), the
 * earlier turns once each, and the customer's message last.
 */
export function buildPrompt(input: PromptInput): ChatMessage[] {
  const language = `${languageName(input.language)} (language code "${input.language}")`;
  const passages = input.passages ?? [];
  const entries = input.entries.length || passages.length
    ? [
        ...input.entries.map((e, i) => `[${i + 1}] Q: ${e.question}\nA: ${e.answer}`),
        ...passages.map((p, i) => `[${input.entries.length + i + 1}] From the page "${p.title}" (${p.url}):\n${p.text}`),
      ].join('\n\n')
    : '(no entry matches this message)';
  const format =
    input.format === 'json_schema'
      ? 'Reply with the JSON object the schema describes: "answered", "entry" (the number of the entry or passage you used, 0 for none) and "answer". When the entries do not answer the message, set "answered" to false and leave "answer" empty.'
      : `When the entries do not answer the message, reply with exactly ${NO_ANSWER} and nothing else. Otherwise begin your reply with the number of the entry or passage you used in square brackets, like [2], then the answer.`;
  const system = [
    `You are ${input.assistantName}, the customer assistant of ${input.businessName}, chatting with a customer on WhatsApp.`,
    input.personality ? `Personality: ${input.personality}` : null,
    'Answer only from the knowledge-base entries below (questions with their answers, and passages of the business\'s own pages and documents; an entry wins over a passage). Prices, times, addresses, policies and every other fact must come from them: never guess, never use outside knowledge. If they do not answer the question, say you do not know (see the format below); a person from the team can then help.',
    'You may answer a greeting or a thank-you briefly without an entry.',
    `Always write in ${language}, the customer's language, even when the entries are in another language.`,
    'Be brief and friendly: one to three short sentences of plain text, no headings, tables or markdown.',
    format,
    `Knowledge-base entries:\n${entries}`,
  ]
    .filter((line): line is string => line !== null)
    .join('\n\n');
  const turns: ChatMessage[] = input.history
    .slice(-HISTORY_TURNS)
    .map((turn) => ({ role: turn.author === 'customer' ? 'user' : 'assistant', content: turn.text }));
  return [{ role: 'system', content: system }, ...turns, { role: 'user', content: input.message }];
}

export interface ParsedAnswer {
  answered: boolean;
  /** 1-based entry number; 0 for none. */
  entry: number;
  text: string;
}

/** Reads the model's reply in either format; null when it is neither. */
export function parseAnswer(content: string, format: AnswerFormat): ParsedAnswer | null {
  const text = content.trim();
  if (format === 'json_schema') {
    try {
      const value = JSON.parse(text.replace(/^```(?:json)?\s*|\s*```$/g, '')) as Partial<ParsedAnswer> & { answer?: unknown };
      if (typeof value.answered !== 'boolean') return null;
      const answer = typeof value.answer === 'string' ? value.answer.trim() : '';
      const entry = Number.isInteger(value.entry) ? (value.entry as number) : 0;
      if (value.answered && !answer) return null;
      return { answered: value.answered, entry, text: answer };
    } catch {
      return null;
    }
  }
  if (!text) return null;
  if (text.includes(NO_ANSWER)) return { answered: false, entry: 0, text: '' };
  const marker = /^\s*\[(\d+)\]\s*/.exec(text);
  return { answered: true, entry: marker ? Number(marker[1]) : 0, text: text.slice(marker?.[0].length ?? 0).trim() };
}
