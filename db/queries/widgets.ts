import { ApplicationFailure } from '@temporalio/common';
import { sql, type Kysely } from 'kysely';
import { newId } from '../ids.js';
import type { Database, Widget, WidgetSettings } from '../schema.js';
import type { KnowledgeEntry } from '../../workflows/widgets/knowledge.js';
import type { AiWidgetProfile } from '../../activities/ai/provider.js';

/** Where activities read a widget from: the database, or a worker's cache of it. */
export type WidgetSource = (widgetId: string) => Promise<Widget>;

export async function loadWidget(db: Kysely<Database>, widgetId: string): Promise<Widget> {
  return db.selectFrom('widgets').selectAll().where('id', '=', widgetId).executeTakeFirstOrThrow(() => ApplicationFailure.nonRetryable(`widget ${widgetId} not found`, 'NotFound'));
}

/** A widget by id, or undefined (public routes: any account's widget, by the id a page carries). */
export function findWidget(db: Kysely<Database>, widgetId: string): Promise<Widget | undefined> {
  return db.selectFrom('widgets').selectAll().where('id', '=', widgetId).executeTakeFirst();
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

/** The account's widget, by id; another account's is as absent as one that does not exist. */
export function findOwnWidget(db: Kysely<Database>, accountId: string, widgetId: string): Promise<Widget | undefined> {
  return db.selectFrom('widgets').selectAll().where('id', '=', widgetId).where('account_id', '=', accountId).executeTakeFirst();
}

export function listWidgets(db: Kysely<Database>, accountId: string): Promise<Widget[]> {
  return db.selectFrom('widgets').selectAll().where('account_id', '=', accountId).orderBy('created_at').limit(200).execute();
}

export interface WidgetFields {
  name: string;
  default_language: string;
  assistant_name: string;
  personality: string | null;
  knowledge_base: KnowledgeEntry[];
  settings: WidgetSettings;
}

export function createWidget(db: Kysely<Database>, accountId: string, widget: WidgetFields, id = newId('wgt')): Promise<Widget> {
  return db
    .insertInto('widgets')
    .values({ id, account_id: accountId, ...widget, knowledge_base: JSON.stringify(widget.knowledge_base), settings: JSON.stringify(widget.settings) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A widget the demo seeds, unless it is there already. */
export async function ensureWidget(db: Kysely<Database>, accountId: string, id: string, widget: WidgetFields): Promise<void> {
  await db
    .insertInto('widgets')
    .values({ id, account_id: accountId, ...widget, knowledge_base: JSON.stringify(widget.knowledge_base), settings: JSON.stringify(widget.settings) })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Changes the fields given; the widget's version (updated_at) moves, so workers' caches read it again. */
export function updateWidget(db: Kysely<Database>, widgetId: string, change: Partial<WidgetFields>): Promise<Widget> {
  return db
    .updateTable('widgets')
    .set({
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.default_language !== undefined ? { default_language: change.default_language } : {}),
      ...(change.assistant_name !== undefined ? { assistant_name: change.assistant_name } : {}),
      ...(change.personality !== undefined ? { personality: change.personality } : {}),
      ...(change.knowledge_base !== undefined ? { knowledge_base: JSON.stringify(change.knowledge_base) } : {}),
      ...(change.settings !== undefined ? { settings: JSON.stringify(change.settings) } : {}),
      updated_at: sql<Date>`clock_timestamp()`,
    })
    .where('id', '=', widgetId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Adds an origin to the widget's allowed_origins unless it is there (a restart of the demo on another port). */
export async function allowOrigin(db: Kysely<Database>, widgetId: string, origin: string): Promise<void> {
  await sql`update widgets set settings = jsonb_set(settings, '{allowed_origins}', coalesce(settings->'allowed_origins', '[]'::jsonb) || to_jsonb(${origin}::text))
    where id = ${widgetId} and not coalesce(settings->'allowed_origins', '[]'::jsonb) ? ${origin}`.execute(db);
}
