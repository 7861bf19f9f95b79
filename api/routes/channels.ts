import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { z } from 'zod';
import { recordChannelStatus } from '../../activities/whatsapp/channel-events.js';
import { heldByAnotherAccount } from '../../db/queries/links.js';
import { connectedElsewhere, createChannel as insertChannel, listChannels, markChannelRemoved } from '../../db/queries/channels.js';
import type { Channel } from '../../db/schema.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import type { RouteRegistry } from '../route-registry.js';
import { e164, optionalText } from '../schemas.js';
import { ownChannel } from './tenancy.js';

const createChannel = z.object({ provider: z.enum(['baileys', 'sandbox']), name: optionalText(200).optional() }).strict();
const channelCreated = z.object({ id: z.string(), provider: z.string(), status: z.string() });
const channelStatus = z.object({
  id: z.string(),
  provider: z.enum(['baileys', 'sandbox']),
  name: z.string().nullable(),
  status: z.enum(['pending', 'qr', 'connecting', 'connected', 'disconnected', 'logged_out']),
  phone: z.string().nullable(),
  qr: z.string().optional(),
  updated_at: z.string(),
  last_error: z.string().optional(),
  down_since: z.string().optional().describe('since when the number has not been connected (having been connected before)'),
  alert: z
    .object({ status: z.enum(['disconnected', 'logged_out']), since: z.string().nullable() })
    .optional()
    .describe(
      'present while the business has been told the number is down: logged out, or away longer than WHATSAPP_DISCONNECTED_ALERT_MS; it goes once the number is connected again',
    ),
});

export function renderChannelStatus(channel: Channel): z.infer<typeof channelStatus> {
  return {
    id: channel.id,
    provider: channel.provider,
    name: channel.name,
    status: channel.status,
    phone: channel.phone,
    ...(channel.status === 'qr' && channel.qr ? { qr: channel.qr } : {}),
    updated_at: channel.updated_at.toISOString(),
    ...(channel.last_error ? { last_error: channel.last_error } : {}),
    ...(channel.down_since ? { down_since: channel.down_since.toISOString() } : {}),
    ...(channel.announced_status === 'disconnected' || channel.announced_status === 'logged_out'
      ? { alert: { status: channel.announced_status, since: channel.down_since?.toISOString() ?? null } }
      : {}),
  };
}

export function channelRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { db } = deps;

  routes.add(
    {
      method: 'get',
      path: '/api/whatsapp/channels',
      tag: 'channels',
      summary: "The account's WhatsApp numbers (removed ones excluded), newest first",
      responses: { 200: { description: 'Channels', schema: z.object({ channels: z.array(channelStatus) }) } },
    },
    async ({ auth }) => {
      const rows = await listChannels(db, auth.accountId);
      return { body: { channels: rows.map(renderChannelStatus) } };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/whatsapp/channels',
      tag: 'channels',
      summary: 'Connect a WhatsApp number: creates a channel that shows a QR code to scan',
      body: createChannel,
      responses: { 201: { description: 'Created', schema: channelCreated }, 422: { description: 'Provider not available here (no gateway for baileys; the sandbox off)' } },
    },
    async ({ body, auth }) => {
      if (body.provider === 'baileys' && !deps.channelSessions) {
        throw new ApiError('unprocessable', 'the baileys provider needs a WhatsApp gateway worker, and none is configured in this deployment');
      }
      if (body.provider === 'sandbox' && !deps.sandbox) {
        throw new ApiError('unprocessable', 'the sandbox provider is off in this deployment (CATY_SANDBOX); connect a real number with "baileys"');
      }
      const id = await insertChannel(db, { accountId: auth.accountId, provider: body.provider, name: body.name ?? null });
      const sandbox = body.provider === 'sandbox';
      if (!sandbox) await deps.channelSessions!.start(id);
      const channel = await ownChannel(db, auth, id);
      return { status: 201, body: { id, provider: channel.provider, status: channel.status } };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/whatsapp/channels/:channelId/status',
      tag: 'channels',
      summary: "A channel's connection state, with the QR payload while it waits for a scan",
      responses: { 200: { description: 'Status', schema: channelStatus } },
    },
    async ({ params, auth }) => ({ body: renderChannelStatus(await ownChannel(db, auth, params.channelId!)) }),
  );

  routes.add(
    {
      method: 'get',
      path: '/api/whatsapp/channels/:channelId/qr.svg',
      tag: 'channels',
      summary: 'The QR code to scan with WhatsApp, as SVG, while the status is `qr`',
      responses: { 200: { description: 'SVG image', contentType: 'image/svg+xml' }, 409: { description: 'No QR to scan right now' } },
    },
    async ({ params, auth }) => {
      const channel = await ownChannel(db, auth, params.channelId!);
      if (channel.status !== 'qr' || !channel.qr) {
        throw new ApiError('conflict', `channel ${channel.id} is ${channel.status}; there is no QR code to scan right now`);
      }
      const svg = await QRCode.toString(channel.qr, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return { body: svg, type: 'image/svg+xml' };
    },
  );

  routes.add(
    {
      method: 'delete',
      path: '/api/whatsapp/channels/:channelId',
      tag: 'channels',
      summary: 'Disconnect a WhatsApp number: logs the linked device out, forgets its session and removes the channel (its id answers 404 afterwards; its conversations stay)',
      responses: {
        200: { description: 'Logged out and removed (sandbox channels, at once)', schema: channelStatus },
        202: { description: 'Removed; the logout is under way (baileys channels)', schema: channelStatus },
        422: { description: 'No gateway runs here to log a baileys channel out' },
      },
    },
    async ({ params, auth }) => {
      const channel = await ownChannel(db, auth, params.channelId!);
      const remove = () => markChannelRemoved(db, channel.id);
      if (channel.provider === 'sandbox') {
        // Removed first: the business did this itself, so no alert tells it the number went away.
        await remove();
        const updated = await recordChannelStatus(db, channel.id, { status: 'logged_out', qr: null }, deps);
        return { status: 200, body: renderChannelStatus(updated!) };
      }
      if (!deps.channelSessions) {
        throw new ApiError('unprocessable', 'the baileys provider needs a WhatsApp gateway worker, and none is configured in this deployment');
      }
      await deps.channelSessions.logout(channel.id);
      await remove();
      return { status: 202, body: renderChannelStatus(channel) };
    },
  );

  // The sandbox's routes exist only where it is on: elsewhere they answer 404 like any unknown path.
  if (!deps.sandbox) return;
  routes.add(
    {
      method: 'post',
      path: '/api/whatsapp/channels/:channelId/rescan',
      tag: 'channels',
      summary: '"Scan again": a number that was logged out or lost its connection gets a fresh QR code to scan (the dashboard\'s banner button)',
      responses: {
        202: { description: 'A new session is starting; the status goes to `qr`', schema: channelStatus },
        409: { description: 'The number is connected: there is nothing to scan' },
        422: { description: 'No gateway runs here to open a baileys session' },
      },
    },
    async ({ params, auth }) => {
      const channel = await ownChannel(db, auth, params.channelId!);
      if (channel.status === 'connected') throw new ApiError('conflict', `channel ${channel.id} is connected; there is nothing to scan again`);
      if (channel.provider === 'sandbox') {
        const qr = `caty-sandbox:${channel.id}:${randomBytes(8).toString('hex')}`;
        const updated = await recordChannelStatus(db, channel.id, { status: 'qr', qr, lastError: null }, deps);
        return { status: 202, body: renderChannelStatus(updated!) };
      }
      if (!deps.channelSessions) {
        throw new ApiError('unprocessable', 'the baileys provider needs a WhatsApp gateway worker, and none is configured in this deployment');
      }
      await deps.channelSessions.rescan(channel.id);
      return { status: 202, body: renderChannelStatus(await ownChannel(db, auth, channel.id)) };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/whatsapp/sandbox/channels/:channelId/scan',
      tag: 'sandbox',
      summary: "The sandbox's stand-in for scanning the QR: the channel becomes connected with this number",
      body: z.object({ phone: e164 }).strict(),
      responses: { 200: { description: 'Connected', schema: channelStatus }, 409: { description: 'Not a sandbox channel, or the number is in use' } },
    },
    async ({ params, body, auth }) => {
      const channel = await ownChannel(db, auth, params.channelId!);
      if (channel.provider !== 'sandbox') throw new ApiError('conflict', `channel ${channel.id} is a ${channel.provider} channel; only sandbox channels are scanned through the API`);
      if (await connectedElsewhere(db, auth.accountId, body.phone, channel.id)) throw new ApiError('conflict', `${body.phone} is already connected on another channel of yours; disconnect that one first`);
      if (await heldByAnotherAccount(db, body.phone, auth.accountId)) throw new ApiError('conflict', `${body.phone} belongs to another Caty account and cannot be connected here`);
      const updated = await recordChannelStatus(db, channel.id, { status: 'connected', phone: body.phone, qr: null, lastError: null }, deps);
      if (updated?.status !== 'connected') throw new ApiError('conflict', `${body.phone} belongs to another Caty account and cannot be connected here`);
      return { body: renderChannelStatus(updated) };
    },
  );
}
