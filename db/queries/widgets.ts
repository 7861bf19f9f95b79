import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import type { Database, Widget } from '../schema.js';
import type { AiWidgetProfile } from '../../activities/ai/provider.js';

/** Where activities read a widget from: the database, or a worker's cache of it. */
export type WidgetSource = (widgetId: string) => Promise<Widget>;

export async function loadWidget(db: Kysely<Database>, widgetId: string): Promise<Widget> {
  return db.selectFrom('widgets').selectAll().where('id', '=', widgetId).executeTakeFirstOrThrow(() => ApplicationFailure.nonRetryable(`widget ${widgetId} not found`, 'NotFound'));
}

/** The worker's cache when it has one, else the database each time. */
export function widgetSource(db: Kysely<Database>, cached?: WidgetSource): WidgetSource {
  return cached ?? ((widgetId) => loadWidget(db, widgetId));
}

export function aiProfile(widget: Widget): AiWidgetProfile {
  return {
    id: widget.id,
    name: widget.name,
    assistantName: widget.assistant_name,
    personality: widget.personality,
    defaultLanguage: widget.default_language,
    knowledgeBase: widget.knowledge_base,
    version: widget.updated_at.toISOString(),
  };
}
