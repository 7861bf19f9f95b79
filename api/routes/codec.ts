import type { Payload } from '@temporalio/common';
import { z } from 'zod';
import { metricsAuthorised } from '../../observability/metrics-server.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import type { RouteRegistry } from '../route-registry.js';

/** A payload as Temporal's codec-server protocol writes it: proto3 JSON, bytes in base64. */
const jsonPayload = z.object({
  metadata: z.record(z.string(), z.string().base64()).optional(),
  data: z.string().base64().optional(),
});
const payloads = z.object({ payloads: z.array(jsonPayload).max(10_000) });

function fromJson(payload: z.infer<typeof jsonPayload>): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
    data: Buffer.from(payload.data ?? '', 'base64'),
  };
}

function toJson(payload: Payload): z.infer<typeof jsonPayload> {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? new Uint8Array()).toString('base64')])),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}

/**
 * Temporal's codec-server endpoints, so that the Temporal UI (or `temporal workflow show
 * --codec-endpoint`) shows conversations in clear to an operator: what Caty encrypts with
 * CATY_ENCRYPTION_KEY (config/payload-codec.ts) is decoded here, for whoever holds the operator key.
 */
export function codecRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const codec = deps.codec?.codec;
  if (!codec) return;
  for (const direction of ['encode', 'decode'] as const) {
    routes.add(
      {
        method: 'post',
        path: `/codec/${direction}`,
        tag: 'operations',
        auth: false,
        summary:
          direction === 'decode'
            ? "Temporal's codec server: decrypts payloads of Caty's workflow histories (for the Temporal UI and CLI); bearer token: the operator key"
            : "Temporal's codec server: encrypts payloads as Caty's workers do (the UI's signal and query inputs); bearer token: the operator key",
        headers: [{ name: 'X-Namespace', description: 'Sent by the Temporal UI; every namespace uses the same keys' }],
        body: payloads,
        responses: {
          200: { description: direction === 'decode' ? 'The payloads in clear (unencrypted ones as they were)' : 'The payloads encrypted', schema: payloads },
          401: { description: 'No or a wrong operator key' },
          422: { description: 'A payload does not open with any configured key' },
        },
      },
      async ({ body, ctx }) => {
        if (!metricsAuthorised(ctx.get('authorization'), [deps.adminKey])) throw new ApiError('unauthorized', 'send the operator key as `Authorization: Bearer <key>`');
        let result: Payload[];
        try {
          result = await codec[direction](body.payloads.map(fromJson));
        } catch (error) {
          throw new ApiError('unprocessable', `a payload could not be ${direction}d: ${(error as Error).message}`);
        }
        return { body: { payloads: result.map(toJson) } };
      },
    );
  }
}
