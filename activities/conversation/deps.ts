import type { Kysely } from 'kysely';
import { widgetSource, type WidgetSource } from '../../db/queries/widgets.js';
import type { Database, Widget } from '../../db/schema.js';
import type { ConversationSettings } from '../../workflows/conversation/state.js';
import type { AiProvider } from '../ai/provider.js';
import type { LanguageDetector } from '../language/detector.js';
import type { EventDeps } from '../webhooks/emit-event.js';
import type { SendWhatsAppInput } from '../whatsapp/session-activities.js';
import { conversationSettings } from './settings.js';

export interface ConversationActivityDeps {
  db: Kysely<Database>;
  ai: AiProvider;
  /** The knowledge-base provider the configured one falls back to (`ai` itself when omitted). */
  kb?: AiProvider;
  detector: LanguageDetector;
  events: EventDeps;
  /** See CATY_SEND_TIMEOUT_MS. */
  sendTimeoutMs?: number;
  /** Reads a widget (kept in memory by the worker); the database each time when absent. */
  widgets?: WidgetSource;
  /** Sends through a session this worker holds (the sandbox's), for replies delivered with their message. */
  sendWhatsApp?: (input: SendWhatsAppInput) => Promise<unknown>;
  /** The configured model sees photos (OPENAI_VISION_MODEL): a customer's photo goes to it. */
  seesImages?: boolean;
}

/** What every conversation activity works with: its dependencies, the widget reader, and the widget's settings as the workflow keeps them. */
export interface ConversationContext {
  deps: ConversationActivityDeps;
  db: Kysely<Database>;
  widgetOf: WidgetSource;
  settingsOf(widget: Widget): ConversationSettings;
}

export function conversationContext(deps: ConversationActivityDeps): ConversationContext {
  return {
    deps,
    db: deps.db,
    widgetOf: widgetSource(deps.db, deps.widgets),
    settingsOf: (widget) => ({ ...conversationSettings(widget), ...(deps.sendTimeoutMs ? { sendTimeoutMs: deps.sendTimeoutMs } : {}) }),
  };
}
