import { z } from 'zod';
import { newId } from '../../activities/ids.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import type { RouteRegistry } from '../route-registry.js';
import { e164 } from '../schemas.js';
import { ownWidget } from './tenancy.js';

const createLink = z
  .object({ widget_id: z.string().min(1), whatsapp_channel: z.enum(['web', 'qr_first', 'notifications']), phone: e164 })
  .strict();
const linkView = z.object({ id: z.string(), widget_id: z.string(), whatsapp_channel: z.string(), phone: z.string(), channel_id: z.string() });

export function linkRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { db } = deps;

  routes.add(
    {
      method: 'delete',
      path: '/api/whatsapp/links/:phone',
      tag: 'channels',
      params: { phone: e164 },
      summary: "Unlink one of your numbers from its widget: its messages are no longer answered (conversations and their history stay)",
      responses: {
        200: { description: 'Unlinked', schema: linkView },
        400: { description: 'Not an E.164 number' },
        404: { description: 'None of your numbers is linked with this number' },
      },
    },
    async ({ params, auth }) => {
      const phone = params.phone!;
      const removed = await db.deleteFrom('links').where('account_id', '=', auth.accountId).where('phone', '=', phone).returningAll().executeTakeFirst();
      if (!removed) throw ApiError.notFound(`link for ${phone}`);
      return { body: { id: removed.id, widget_id: removed.widget_id, whatsapp_channel: removed.channel_type, phone: removed.phone, channel_id: removed.channel_id } };
    },
  );
  routes.add(
    {
      method: 'post',
      path: '/api/whatsapp/links',
      tag: 'channels',
      summary: 'Link a connected WhatsApp number to a widget, with how its messages are handled',
      body: createLink,
      responses: {
        201: { description: 'Linked', schema: linkView },
        404: { description: 'Unknown widget' },
        409: { description: 'The number belongs to another account' },
        422: { description: 'No connected channel has this number' },
      },
    },
    async ({ body, auth }) => {
      const widget = await ownWidget(db, auth, body.widget_id);
      const channel = await db
        .selectFrom('channels')
        .select(['id', 'status'])
        .where('account_id', '=', auth.accountId)
        .where('phone', '=', body.phone)
        .orderBy('updated_at', 'desc')
        .executeTakeFirst();
      if (!channel) throw new ApiError('unprocessable', `no channel of yours has the number ${body.phone}; connect it first (scan the QR code)`);
      const existing = await db.selectFrom('links').select(['id', 'account_id']).where('phone', '=', body.phone).executeTakeFirst();
      if (existing && existing.account_id !== auth.accountId) throw new ApiError('conflict', `${body.phone} is linked by another account`);
      const link = await db
        .insertInto('links')
        .values({
          id: existing?.id ?? newId('lnk'),
          account_id: auth.accountId,
          widget_id: widget.id,
          channel_id: channel.id,
          channel_type: body.whatsapp_channel,
          phone: body.phone,
        })
        .onConflict((oc) =>
          oc.column('phone').doUpdateSet((eb) => ({
            widget_id: eb.ref('excluded.widget_id'),
            channel_id: eb.ref('excluded.channel_id'),
            channel_type: eb.ref('excluded.channel_type'),
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return {
        status: 201,
        body: { id: link.id, widget_id: link.widget_id, whatsapp_channel: link.channel_type, phone: link.phone, channel_id: link.channel_id },
      };
    },
  );
}
