import QRCode from 'qrcode';
import { z } from 'zod';
import { findOwnLink, linkNumber, listLinks, unlinkNumber } from '../../db/queries/links.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import type { RouteRegistry } from '../route-registry.js';
import { e164 } from '../schemas.js';
import { ownWidget } from './tenancy.js';

const createLink = z
  .object({ widget_id: z.string().min(1), whatsapp_channel: z.enum(['web', 'qr_first', 'notifications']), phone: e164 })
  .strict();
const linkView = z.object({
  id: z.string(),
  widget_id: z.string(),
  whatsapp_channel: z.string(),
  phone: z.string(),
  channel_id: z.string(),
  deep_link: z.string().describe('The wa.me link that opens a chat with the number and "ref:qr" filled in (what the QR image encodes)'),
});

const deepLinkQuery = z
  .object({ ref: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1 to 64 letters, digits, ".", "_" or "-"').optional() })
  .strict();

/** wa.me opens a chat with the number, the text filled in; the router reads `ref:` back (workflows/conversation/router.ts). */
export function deepLink(phone: string, ref: string): string {
  return `https://wa.me/${phone.slice(1)}?text=${encodeURIComponent(`ref:${ref}`)}`;
}

function toLinkView(link: { id: string; widget_id: string; channel_type: string; phone: string; channel_id: string }): z.infer<typeof linkView> {
  return { id: link.id, widget_id: link.widget_id, whatsapp_channel: link.channel_type, phone: link.phone, channel_id: link.channel_id, deep_link: deepLink(link.phone, 'qr') };
}

export function linkRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { db } = deps;

  routes.add(
    {
      method: 'get',
      path: '/api/whatsapp/links',
      tag: 'links',
      summary: "The account's numbers and the widgets they are linked to",
      responses: { 200: { description: 'Links', schema: z.object({ links: z.array(linkView) }) } },
    },
    async ({ auth }) => {
      const rows = await listLinks(db, auth.accountId);
      return { body: { links: rows.map(toLinkView) } };
    },
  );

  for (const format of ['svg', 'png'] as const) {
    routes.add(
      {
        method: 'get',
        path: `/api/whatsapp/links/:phone/deep-link.${format}`,
        tag: 'channels',
        params: { phone: e164 },
        query: deepLinkQuery,
        summary: `The QR a business prints for a number (${format.toUpperCase()}): it opens a WhatsApp chat with the message "ref:<ref>" filled in, so the conversation records where the customer came from`,
        responses: {
          200: { description: `${format.toUpperCase()} image`, contentType: format === 'svg' ? 'image/svg+xml' : 'image/png' },
          400: { description: 'Not an E.164 number, or a ref that is not 1 to 64 letters, digits, ".", "_" or "-"' },
          404: { description: 'None of your numbers is linked with this number' },
        },
      },
      async ({ params, query, auth, ctx }) => {
        const link = await findOwnLink(db, auth.accountId, params.phone!);
        if (!link) throw ApiError.notFound(`link for ${params.phone}`);
        const url = deepLink(link.phone, query.ref ?? 'qr');
        ctx.set('Content-Disposition', `inline; filename="whatsapp-${link.phone.slice(1)}-${query.ref ?? 'qr'}.${format}"`);
        const options = { errorCorrectionLevel: 'M' as const, margin: 2 };
        return format === 'svg'
          ? { body: await QRCode.toString(url, { ...options, type: 'svg' }), type: 'image/svg+xml' }
          : { body: await QRCode.toBuffer(url, { ...options, type: 'png', width: 600 }), type: 'image/png' };
      },
    );
  }
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
      const removed = await unlinkNumber(db, auth.accountId, phone);
      if (!removed) throw ApiError.notFound(`link for ${phone}`);
      return { body: toLinkView(removed) };
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
        409: { description: 'The number belongs to another account (linked by it, or connected on its channel)' },
        422: { description: 'None of your channels is connected with this number' },
      },
    },
    async ({ body, auth }) => {
      const widget = await ownWidget(db, auth, body.widget_id);
      const outcome = await linkNumber(db, { accountId: auth.accountId, widgetId: widget.id, phone: body.phone, channelType: body.whatsapp_channel });
      if ('refused' in outcome) {
        if (outcome.refused === 'held_by_another_account') throw new ApiError('conflict', `${body.phone} belongs to another Caty account`);
        throw new ApiError('unprocessable', `no channel of yours is connected with the number ${body.phone}; connect it first (scan the QR code)`);
      }
      const link = outcome.linked;
      return {
        status: 201,
        body: toLinkView(link),
      };
    },
  );
}
