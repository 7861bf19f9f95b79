import type { Kysely } from 'kysely';
import type { Database, Widget } from '../../db/schema.js';
import { supportedCatalogueLanguages, systemMessage } from '../../workflows/i18n/catalogue.js';
import { intlLocale } from '../../workflows/i18n/intl-locale.js';
import { HISTORY_TURNS } from '../ai/prompt.js';
import type { AiAnswer, AiProvider, ConversationTurn } from '../ai/provider.js';
import { aiProfile, widgetSource, type WidgetSource } from '../../db/queries/widgets.js';
import { recordUnanswered } from '../../db/queries/unanswered.js';
import { tokenize } from '../ai/kb/tokens.js';
import type { ComposedReply } from '../../workflows/conversation/activity-types.js';
import type { MediaLibrary } from '../../media/library.js';

export interface ComposeReplyInput {
  widgetId: string;
  conversationId: string;
  /** The customer message being answered: already stored, so it is left out of the history. */
  messageId: string;
  text: string;
  /** The customer's language. */
  language: string;
  /**
   * `configured`: the configured provider (an LLM throws a retryable failure while it is down);
   * `kb`: the knowledge base, the fallback once the retries are spent.
   */
  provider: 'configured' | 'kb';
  /** A photo the customer sent: it goes to a model that sees images. */
  mediaId?: string;
}

export interface ComposeReplyDeps {
  db: Kysely<Database>;
  ai: AiProvider;
  kb: AiProvider;
  /** Reads a widget (kept in memory by the worker); the database each time when absent. */
  widgets?: WidgetSource | undefined;
  /** Where a customer's photo is read from, for a model that sees images. */
  library?: MediaLibrary | undefined;
}

/** The turns before a message, oldest first, without the message itself. */
export async function historyBefore(db: Kysely<Database>, conversationId: string, messageId: string): Promise<ConversationTurn[]> {
  const rows = await db
    .selectFrom('messages')
    .select(['author', 'text'])
    .where('conversation_id', '=', conversationId)
    .where('external_id', '!=', messageId)
    .orderBy('at', 'desc')
    .limit(HISTORY_TURNS)
    .execute();
  return rows.reverse();
}

/** "Romanian" in the customer's own language ("roumain", "Rumänisch"). */
function languageNameIn(customerLanguage: string, language: string): string {
  try {
    return new Intl.DisplayNames([intlLocale(customerLanguage)], { type: 'language' }).of(language) ?? language;
  } catch {
    return language;
  }
}

/**
 * An answer as the customer gets it: in their language, or in another one introduced by the
 * catalogue's lead-in in theirs ("I only have this answer in Romanian:"); the reply's `language`
 * is the one its answer is really written in.
 */
export function presentAnswer(answer: AiAnswer, customerLanguage: string): ComposedReply {
  const base = { topic: answer.topic, fromKnowledgeBase: answer.topic !== null, language: answer.language };
  if (answer.language === customerLanguage || !supportedCatalogueLanguages.includes(customerLanguage)) return { text: answer.text, ...base };
  const leadIn = systemMessage('untranslatedLeadIn', customerLanguage, { language: languageNameIn(customerLanguage, answer.language) });
  return { text: `${leadIn}\n${answer.text}`, ...base };
}

/** The catalogue's answer when the knowledge base has none: it says so and offers a person. */
export function fallbackReply(customerLanguage: string, defaultLanguage: string): ComposedReply {
  const language = supportedCatalogueLanguages.includes(customerLanguage) ? customerLanguage : defaultLanguage;
  return { text: systemMessage('fallback', customerLanguage, {}, defaultLanguage), topic: null, fromKnowledgeBase: false, language };
}

/** Caty's answer to a customer message, from the chosen provider. */
export async function composeAnswer(deps: ComposeReplyDeps, widget: Widget, input: Omit<ComposeReplyInput, 'widgetId'>): Promise<ComposedReply> {
  const provider = input.provider === 'kb' ? deps.kb : deps.ai;
  const photo = input.mediaId && provider !== deps.kb ? await photoOf(deps, input.mediaId) : undefined;
  if (!input.text.trim() && !photo) {
    // A photo the knowledge base cannot look at: acknowledged, as without a vision model.
    const language = supportedCatalogueLanguages.includes(input.language) ? input.language : widget.default_language;
    return { text: systemMessage('attachmentReceived', input.language, {}, widget.default_language), topic: null, fromKnowledgeBase: false, language };
  }
  const answer = await provider.answer({
    widget: aiProfile(widget),
    message: input.text,
    language: input.language,
    history: () => historyBefore(deps.db, input.conversationId, input.messageId),
    ...(photo ? { image: photo } : {}),
  });
  if (answer) return presentAnswer(answer, input.language);
  // What nothing answered is kept for the business to add (GET /api/widgets/:id/unanswered).
  await recordUnanswered(deps.db, {
    widgetId: widget.id,
    conversationId: input.conversationId,
    messageId: input.messageId,
    text: input.text,
    language: input.language,
    terms: [...new Set(tokenize(input.text, input.language))],
  });
  return fallbackReply(input.language, widget.default_language);
}

/** A stored photo's bytes (at most 5 MB), for a model that sees images. */
async function photoOf(deps: ComposeReplyDeps, mediaId: string): Promise<{ mimeType: string; data: Buffer } | undefined> {
  const row = deps.library ? await deps.library.find(mediaId) : undefined;
  if (!row || row.kind !== 'image' || row.status !== 'ready') return undefined;
  return { mimeType: row.mime_type, data: await deps.library!.readAll(row) };
}

/**
 * Reply composition as its own activity, so the workflow can retry the configured provider a
 * bounded number of times and then ask the knowledge base (see workflows/ai/compose.ts).
 */
export function createComposeReplyActivities(deps: ComposeReplyDeps) {
  const widgetOf = widgetSource(deps.db, deps.widgets);
  return {
    async composeReply(input: ComposeReplyInput): Promise<ComposedReply> {
      return composeAnswer(deps, await widgetOf(input.widgetId), input);
    },
  };
}

export type ComposeReplyActivities = ReturnType<typeof createComposeReplyActivities>;
