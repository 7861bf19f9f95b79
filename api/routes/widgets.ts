import { createWidget as insertWidget, listWidgets, updateWidget } from '../../db/queries/widgets.js';
import { z } from 'zod';
import type { Widget, WidgetSettings } from '../../db/schema.js';
import type { WidgetGreeting } from '../../workflows/widgets/knowledge.js';
import type { ApiDeps } from '../deps.js';
import type { RouteRegistry } from '../route-registry.js';
import { ApiError } from '../errors.js';
import { businessHours, defaultLanguageTranslations, e164, greeting, handoff, knowledgeBase, knowledgeEntry, languageCode, notifications, text } from '../schemas.js';
import { ownWidget } from './tenancy.js';

/** A web origin ("https://shop.example", "http://localhost:8080"), or "*" for any page. */
const origin = z
  .string()
  .max(200)
  .regex(/^(\*|https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?)$/, 'must be an origin such as "https://shop.example" (scheme, host and port only), or "*"');

const settingsFields = {
  admin_phones: z.array(e164).max(50),
  allowed_origins: z.array(origin).max(50).describe('Pages whose visitors may use the web widget (their Origin); "*" allows any page'),
  notifications,
  business_hours: businessHours.nullable(),
  handoff,
  greeting: greeting.nullable(),
};

const createWidget = z
  .object({
    name: text(200),
    default_language: languageCode.default('ro'),
    assistant_name: text(100).default('Caty'),
    personality: z.string().max(4000).optional(),
    knowledge_base: knowledgeBase.default([]),
    ...settingsFields,
  })
  .partial({ admin_phones: true, allowed_origins: true, notifications: true, business_hours: true, handoff: true, greeting: true })
  .strict();

const patchWidget = z
  .object({
    name: text(200),
    default_language: languageCode,
    assistant_name: text(100),
    personality: z.string().max(4000).nullable(),
    knowledge_base: knowledgeBase,
    admin_phones: settingsFields.admin_phones,
    allowed_origins: settingsFields.allowed_origins,
    notifications: notifications.partial(),
    business_hours: settingsFields.business_hours,
    handoff,
    greeting: settingsFields.greeting.describe(`${greeting.description}; null removes it`),
  })
  .partial()
  .strict();

export const widgetView = z.object({
  id: z.string(),
  name: z.string(),
  default_language: z.string(),
  assistant_name: z.string(),
  personality: z.string().nullable(),
  knowledge_base: z.array(knowledgeEntry),
  admin_phones: z.array(z.string()),
  allowed_origins: z.array(z.string()),
  notifications: z.record(z.string(), z.unknown()).nullable(),
  business_hours: z.record(z.string(), z.unknown()).nullable(),
  handoff: z.record(z.string(), z.unknown()),
  greeting: z.object({ text: z.string(), translations: z.record(z.string(), z.string()).optional() }).nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});


/** Notifications as stored: an alert phone set to null is removed, not kept as null. */
function storedNotifications<T extends { alert_phone?: string | null | undefined }>(notifications: T): Omit<T, 'alert_phone'> & { alert_phone?: string } {
  const { alert_phone, ...rest } = notifications;
  return alert_phone ? { ...rest, alert_phone } : rest;
}

export function renderWidget(widget: Widget): z.infer<typeof widgetView> {
  const settings = widget.settings;
  return {
    id: widget.id,
    name: widget.name,
    default_language: widget.default_language,
    assistant_name: widget.assistant_name,
    personality: widget.personality,
    knowledge_base: widget.knowledge_base,
    admin_phones: settings.admin_phones ?? [],
    allowed_origins: settings.allowed_origins ?? [],
    notifications: settings.notifications ?? null,
    business_hours: settings.business_hours ?? null,
    handoff: settings.handoff ?? {},
    greeting: settings.greeting ?? null,
    created_at: widget.created_at.toISOString(),
    updated_at: widget.updated_at.toISOString(),
  };
}

const widgetParam = '/api/widgets/:widgetId';

/** Nothing is translated into the widget's own language: that text belongs in the original. */
function checkTranslations(entries: z.infer<typeof knowledgeBase> | undefined, defaultLanguage: string, greeting?: WidgetGreeting | null): void {
  const problem = entries ? defaultLanguageTranslations(entries, defaultLanguage) : null;
  if (problem) throw new ApiError('unprocessable', problem);
  if (greeting?.translations && Object.hasOwn(greeting.translations, defaultLanguage)) {
    throw new ApiError('unprocessable', `greeting.translations.${defaultLanguage}: "${defaultLanguage}" is the widget's default language; write that text in greeting.text`);
  }
}

export function widgetRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { db } = deps;
  // With embeddings, saved entries get their vectors (asked for here; a worker finding them missing asks again).
  const entriesSaved = (widgetId: string) => deps.knowledge?.entriesSaved?.(widgetId);

  routes.add(
    {
      method: 'post',
      path: '/api/widgets',
      tag: 'widgets',
      summary: 'Create a widget: the assistant, its knowledge base and settings',
      body: createWidget,
      responses: { 201: { description: 'Created', schema: widgetView } },
    },
    async ({ body, auth }) => {
      checkTranslations(body.knowledge_base, body.default_language, body.greeting);
      const settings: WidgetSettings = {
        admin_phones: body.admin_phones ?? [],
        ...(body.allowed_origins ? { allowed_origins: body.allowed_origins.map((o) => o.toLowerCase()) } : {}),
        ...(body.notifications ? { notifications: storedNotifications(body.notifications) } : {}),
        ...(body.business_hours !== undefined ? { business_hours: body.business_hours } : {}),
        ...(body.handoff ? { handoff: body.handoff } : {}),
        ...(body.greeting ? { greeting: body.greeting } : {}),
      };
      const widget = await insertWidget(db, auth.accountId, {
        name: body.name,
        default_language: body.default_language,
        assistant_name: body.assistant_name,
        personality: body.personality ?? null,
        knowledge_base: body.knowledge_base,
        settings,
      });
      if (body.knowledge_base.length > 0) entriesSaved(widget.id);
      return { status: 201, body: renderWidget(widget) };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/widgets',
      tag: 'widgets',
      summary: "The account's widgets, oldest first",
      responses: { 200: { description: 'Widgets', schema: z.object({ widgets: z.array(widgetView) }) } },
    },
    async ({ auth }) => {
      const rows = await listWidgets(db, auth.accountId);
      return { body: { widgets: rows.map(renderWidget) } };
    },
  );
  routes.add(
    { method: 'get', path: widgetParam, tag: 'widgets', summary: 'Get a widget', responses: { 200: { description: 'The widget', schema: widgetView } } },
    async ({ params, auth }) => ({ body: renderWidget(await ownWidget(db, auth, params.widgetId!)) }),
  );

  routes.add(
    {
      method: 'patch',
      path: widgetParam,
      tag: 'widgets',
      summary: 'Change a widget; nested settings (notifications, handoff) merge into what is there',
      body: patchWidget,
      responses: { 200: { description: 'The widget after the change', schema: widgetView } },
    },
    async ({ params, body, auth }) => {
      const current = await ownWidget(db, auth, params.widgetId!);
      checkTranslations(
        body.knowledge_base ?? (body.default_language ? current.knowledge_base : undefined),
        body.default_language ?? current.default_language,
        body.greeting !== undefined ? body.greeting : current.settings.greeting,
      );
      const settings = { ...current.settings };
      if (body.admin_phones !== undefined) settings.admin_phones = body.admin_phones;
      if (body.allowed_origins !== undefined) settings.allowed_origins = body.allowed_origins.map((o) => o.toLowerCase());
      if (body.notifications !== undefined) settings.notifications = storedNotifications({ ...(settings.notifications ?? {}), ...body.notifications });
      if (body.business_hours !== undefined) settings.business_hours = body.business_hours;
      if (body.handoff !== undefined) settings.handoff = { ...(settings.handoff ?? {}), ...body.handoff };
      if (body.greeting === null) delete settings.greeting;
      else if (body.greeting !== undefined) settings.greeting = body.greeting;
      const widget = await updateWidget(db, current.id, {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.default_language !== undefined ? { default_language: body.default_language } : {}),
        ...(body.assistant_name !== undefined ? { assistant_name: body.assistant_name } : {}),
        ...(body.personality !== undefined ? { personality: body.personality } : {}),
        ...(body.knowledge_base !== undefined ? { knowledge_base: body.knowledge_base } : {}),
        settings,
      });
      if (body.knowledge_base !== undefined) entriesSaved(widget.id);
      return { body: renderWidget(widget) };
    },
  );

  routes.add(
    {
      method: 'put',
      path: `${widgetParam}/knowledge`,
      tag: 'widgets',
      summary: "Replace the widget's knowledge base: entries with alternatives and translations ({question, answer, alternatives?, translations?: {\"en\": {question?, answer, alternatives?}}})",
      body: knowledgeBase,
      responses: { 200: { description: 'The widget after the change', schema: widgetView } },
    },
    async ({ params, body, auth }) => {
      const current = await ownWidget(db, auth, params.widgetId!);
      checkTranslations(body, current.default_language);
      const widget = await updateWidget(db, current.id, { knowledge_base: body });
      entriesSaved(widget.id);
      return { body: renderWidget(widget) };
    },
  );
}
