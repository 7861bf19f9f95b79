import { z } from 'zod';
import { contactRecords, type ContactScope } from '../../db/queries/contacts.js';
import { describeMedia } from '../../media/library.js';
import { webConversationWorkflowId, whatsappConversationWorkflowId } from '../../workflows/conversation/ids.js';
import { eraseContact } from '../contacts/erase.js';
import type { ApiDeps } from '../deps.js';
import type { RouteRegistry } from '../route-registry.js';
import { e164 } from '../schemas.js';
import { ownWidget } from './tenancy.js';

/** A WhatsApp number (E.164) or a web visitor's session id (`vis_…`, as its token names it). */
const contact = z.union([e164, z.string().regex(/^vis_[A-Za-z0-9_-]{8,64}$/)], {
  error: 'must be a phone number in E.164 format (+40721234567) or a web visitor session id (vis_…)',
});

const at = (d: Date | null) => (d ? d.toISOString() : null);

const exportView = z.object({
  contact: z.string(),
  widget_id: z.string(),
  exported_at: z.string(),
  conversations: z.array(
    z.object({
      id: z.string(),
      channel: z.enum(['whatsapp', 'web']),
      channel_type: z.string(),
      mode: z.string(),
      language: z.string().nullable(),
      source: z.string().nullable(),
      lead: z.record(z.string(), z.unknown()).nullable(),
      created_at: z.string(),
      last_message_at: z.string().nullable(),
      messages: z.array(z.record(z.string(), z.unknown())),
      events: z.array(z.record(z.string(), z.unknown())).describe('Mode changes, handoffs and other recorded moments of the conversation'),
      webhook_events: z.array(z.record(z.string(), z.unknown())).describe('What was sent to the widget\'s webhooks about it'),
    }),
  ),
  leads: z.array(z.record(z.string(), z.unknown())),
  media: z.array(z.record(z.string(), z.unknown())).describe('Files they sent or were sent: what is known about each (the bytes are at GET /api/media/{id})'),
});

const erasureView = z.object({
  id: z.string().describe('The audit record of this erasure (it holds no personal data)'),
  at: z.string(),
  removed: z.record(z.string(), z.number().int()).describe('Rows deleted by table, files removed, Temporal executions deleted; all 0 when nothing was held'),
});

function scopeOf(accountId: string, widgetId: string, who: string): ContactScope {
  return { accountId, widgetId, contact: who, workflowIds: [whatsappConversationWorkflowId(widgetId, who), webConversationWorkflowId(widgetId, who)] };
}

/** A person's right to see and to erase what a widget holds about them. */
export function contactRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const path = '/api/widgets/:widgetId/contacts/:contact/export';
  routes.add(
    {
      method: 'get',
      path,
      tag: 'contacts',
      summary: 'Everything the widget holds about one contact (a WhatsApp number or a web visitor), as JSON: conversations, messages, files, leads, events',
      params: { contact },
      responses: { 200: { description: 'The export (empty lists when nothing is held)', schema: exportView } },
    },
    async ({ params, auth }) => {
      const widget = await ownWidget(deps.db, auth, params.widgetId!);
      const who = params.contact!;
      const records = await contactRecords(deps.db, scopeOf(auth.accountId, widget.id, who));
      const body: z.infer<typeof exportView> = {
        contact: who,
        widget_id: widget.id,
        exported_at: new Date().toISOString(),
        conversations: records.conversations.map((c) => ({
          id: c.id,
          channel: c.kind,
          channel_type: c.channel_type,
          mode: c.mode,
          language: c.language,
          source: c.source,
          lead: c.lead,
          created_at: c.created_at.toISOString(),
          last_message_at: at(c.last_message_at),
          messages: records.messages
            .filter((m) => m.conversation_id === c.id)
            .map(({ conversation_id: _, at: sent, failed_reason, ...m }) => ({ ...m, at: sent.toISOString(), ...(failed_reason ? { failed_reason } : {}) })),
          events: records.conversationEvents.filter((e) => e.conversation_id === c.id).map(({ conversation_id: _, at: when, ...e }) => ({ ...e, at: when.toISOString() })),
          webhook_events: records.webhookEvents.filter((e) => e.conversation_id === c.id).map(({ conversation_id: _, created_at, ...e }) => ({ ...e, created_at: created_at.toISOString() })),
        })),
        leads: records.leads.map((l) => ({ ...l, created_at: l.created_at.toISOString(), updated_at: l.updated_at.toISOString() })),
        media: records.media.map((m) => ({ ...describeMedia(m), status: m.status, created_at: m.created_at.toISOString() })),
      };
      return { body };
    },
  );

  routes.add(
    {
      method: 'delete',
      path,
      tag: 'contacts',
      summary:
        'Erases everything the widget holds about one contact: their conversations, messages, files (bytes included), leads, events, webhook delivery log and Temporal executions; records an audit entry without their data. Asked again, it erases nothing more; a later message from them starts a new conversation',
      params: { contact },
      responses: {
        200: { description: 'Erased (or nothing was held)', schema: erasureView },
        503: { description: 'PostgreSQL or Temporal is away: nothing is lost by asking again' },
      },
    },
    async ({ params, auth }) => {
      const widget = await ownWidget(deps.db, auth, params.widgetId!);
      const erasure = await eraseContact({ db: deps.db, client: deps.client, store: deps.media.store }, scopeOf(auth.accountId, widget.id, params.contact!));
      return { body: { id: erasure.id, at: erasure.at.toISOString(), removed: erasure.removed } };
    },
  );
}
