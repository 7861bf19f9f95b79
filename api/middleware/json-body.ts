import type { Middleware } from 'koa';
import { ApiError } from '../errors.js';
import { withoutNul } from '../without-nul.js';

declare module 'koa' {
  interface Request {
    body?: unknown;
    rawBody?: string;
  }
}

export const DEFAULT_JSON_LIMIT = 1024 * 1024;

/**
 * Reads a JSON body (up to a limit, 1 MiB unless `limitFor` says otherwise for a route) into
 * ctx.request.body; anything else is a clear 4xx. `limitFor` answering null leaves the body to
 * the route (raw uploads, streamed).
 */
export function jsonBody(limitFor: (ctx: Parameters<Middleware>[0]) => number | null = () => DEFAULT_JSON_LIMIT): Middleware {
  return async (ctx, next) => {
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(ctx.method)) return next();
    const limitBytes = limitFor(ctx);
    if (limitBytes === null) return next();
    const declared = Number(ctx.get('content-length') || 0);
    if (declared > limitBytes) throw new ApiError('payload_too_large', `request body is larger than ${limitBytes} bytes`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.req) {
      size += (chunk as Buffer).length;
      if (size > limitBytes) throw new ApiError('payload_too_large', `request body is larger than ${limitBytes} bytes`);
      chunks.push(chunk as Buffer);
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    ctx.request.rawBody = raw;
    if (raw.trim() === '') {
      ctx.request.body = undefined;
      return next();
    }
    if (!ctx.is('json') && ctx.get('content-type')) {
      throw new ApiError('unsupported_media_type', 'send the body as application/json');
    }
    try {
      ctx.request.body = JSON.parse(raw, (_key, value: unknown) => (typeof value === 'string' ? withoutNul(value) : value));
    } catch (error) {
      throw new ApiError('malformed_json', `request body is not valid JSON: ${(error as Error).message}`);
    }
    return next();
  };
}
