import type { Middleware } from 'koa';
import { ApiError } from '../errors.js';

declare module 'koa' {
  interface Request {
    body?: unknown;
    rawBody?: string;
  }
}

/** Reads a JSON body (up to `limitBytes`) into ctx.request.body; anything else is a clear 4xx. */
export function jsonBody(limitBytes = 1024 * 1024, takesRawBody: (method: string, path: string) => boolean = () => false): Middleware {
  return async (ctx, next) => {
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(ctx.method) || takesRawBody(ctx.method, ctx.path)) return next();
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
      // PostgreSQL text cannot hold NUL: it becomes the replacement character, nothing is lost.
      ctx.request.body = JSON.parse(raw, (_key, value: unknown) => (typeof value === 'string' ? value.replaceAll('\u0000', '\uFFFD') : value));
    } catch (error) {
      throw new ApiError('malformed_json', `request body is not valid JSON: ${(error as Error).message}`);
    }
    return next();
  };
}
