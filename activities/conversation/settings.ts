import type { ConversationContext } from './deps.js';
import type { Widget } from '../../db/schema.js';
import { DEFAULT_SETTINGS, type ConversationSettings } from '../../workflows/conversation/state.js';
import { parseBusinessHours } from '../../workflows/hours/business-hours.js';

function seconds(value: number | null | undefined, fallbackMs: number | null): number | null {
  if (value === undefined) return fallbackMs;
  return value === null ? null : value * 1000;
}

/** The widget's settings in the shape the conversation workflow keeps (stored ones are validated by the API). */
export function conversationSettings(widget: Widget): ConversationSettings {
  const stored = widget.settings;
  return {
    autoResumeAfterMs: seconds(stored.handoff?.auto_resume_after, DEFAULT_SETTINGS.autoResumeAfterMs),
    responseTimeoutMs: seconds(stored.handoff?.response_timeout, DEFAULT_SETTINGS.responseTimeoutMs),
    onResponseTimeout: stored.handoff?.on_response_timeout ?? DEFAULT_SETTINGS.onResponseTimeout,
    alertPhone: stored.notifications?.alert_phone ?? null,
    defaultLanguage: widget.default_language,
    businessHours: parseBusinessHours(stored.business_hours),
  };
}

/** Where lead alerts go on WhatsApp; null unless the widget turned them on for WhatsApp. */
export function leadAlertPhone(widget: Widget): string | null {
  const notifications = widget.settings.notifications;
  return notifications?.lead_alerts && notifications.alert_channel === 'whatsapp' ? (notifications.alert_phone ?? null) : null;
}

export function alertPhone(widget: Widget): string | null {
  return widget.settings.notifications?.alert_phone ?? null;
}

export function adminPhones(widget: Widget): string[] {
  return widget.settings.admin_phones ?? [];
}

/** The widget's settings, read again so changes reach running conversations. */
export function createSettingsActivities({ widgetOf, settingsOf }: ConversationContext) {
  return {
    async loadConversationSettings(input: { widgetId: string }): Promise<ConversationSettings> {
      return settingsOf(await widgetOf(input.widgetId));
    },
  };
}
