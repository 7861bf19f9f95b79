import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { ApiError } from './errors.js';
import type { AuthState } from './middleware/auth.js';
import { queryWithoutNul } from './without-nul.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

export interface RouteSpec<B extends z.ZodType | undefined = z.ZodType | undefined, Q extends z.ZodType | undefined = z.ZodType | undefined> {
  method: Method;
  /** Koa-style path: /api/widgets/:widgetId */
  path: string;
  summary: string;
  tag: string;
  /** Defaults to true: every /api route takes `Authorization: Bearer <key>`. */
  auth?: boolean;
  body?: B;
  query?: Q;
  /** Schemas of path parameters that have a shape (a phone number); others are ids, any string. */
  params?: Record<string, z.ZodType>;
  headers?: { name: string; description: string; schema?: z.ZodType }[];
  /** The body is raw bytes of these types (read by the handler from `ctx.req`), not JSON. */
  rawBody?: { contentTypes: string[]; description: string };
  responses: Record<number, ResponseSpec>;
}

type Parsed<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface RouteInput<B, Q> {
  body: B;
  query: Q;
  params: Record<string, string>;
  auth: AuthState;
  ctx: Context;
}

/**
 * Routes are declared once, with the zod schemas that validate them; the same declarations
 * generate the OpenAPI document, so docs and behaviour cannot drift apart.
 */
export class RouteRegistry {
  // Paths are matched as written: `/PUBLIC/...` is not `/public/...`, whose middleware (the
  // widget's Origin check) looks for the lower-case path.
  readonly router = new Router({ sensitive: true });
  readonly specs: RouteSpec[] = [];
  private readonly rawBodyRoutes: { method: string; path: RegExp }[] = [];

  /** Whether this request's route reads its body as raw bytes (the JSON body reader leaves it alone). */
  takesRawBody(method: string, path: string): boolean {
    return this.rawBodyRoutes.some((r) => r.method === method && r.path.test(path));
  }

  private readonly streamPaths = new Set<string>();

  /** Whether the request is for one of the routes that answer with an endless event stream. */
  isStream(method: string, path: string): boolean {
    if (method !== 'GET' || this.streamPaths.size === 0) return false;
    return this.router.match(path, method).pathAndMethod.some((layer) => typeof layer.path === 'string' && this.streamPaths.has(layer.path));
  }

  add<B extends z.ZodType | undefined, Q extends z.ZodType | undefined>(
    spec: RouteSpec<B, Q>,
    handler: (input: RouteInput<Parsed<B>, Parsed<Q>>) => Promise<{ status?: number; body: unknown; type?: string }>,
  ): void {
    this.specs.push(spec as RouteSpec);
    if (spec.rawBody) this.rawBodyRoutes.push({ method: spec.method.toUpperCase(), path: new RegExp(`^${spec.path.replace(/:\w+/g, '[^/]+')}$`) });
    if (Object.values(spec.responses).some((response) => response.contentType === 'text/event-stream')) this.streamPaths.add(spec.path);
    this.router[spec.method](spec.path, async (ctx: Context) => {
      const auth = ctx.state.auth as AuthState | undefined;
      if (spec.auth !== false && !auth) throw new ApiError('unauthorized', 'missing or invalid API key');
      // No id, number or name of ours contains a NUL; PostgreSQL could not even look one up.
      for (const [name, value] of Object.entries(ctx.params as Record<string, string>)) {
        if (value.includes('\u0000')) throw ApiError.notFound(`${name} ${JSON.stringify(value)}`);
        const shape = spec.params?.[name];
        if (shape) {
          const parsed = shape.safeParse(value);
          if (!parsed.success) throw new ApiError('validation_failed', `${name}: ${parsed.error.issues[0]!.message}`);
          (ctx.params as Record<string, unknown>)[name] = parsed.data;
        }
      }
      if (spec.body && ctx.request.body === undefined) {
        throw new ApiError('validation_failed', 'a JSON request body is required');
      }
      const body = spec.body ? spec.body.parse(ctx.request.body) : undefined;
      const query = spec.query ? queryWithoutNul(spec.query.parse(ctx.query)) : undefined;
      const result = await handler({
        body: body as Parsed<B>,
        query: query as Parsed<Q>,
        params: ctx.params as Record<string, string>,
        auth: auth as AuthState,
        ctx,
      });
      ctx.status = result.status ?? 200;
      if (result.type) ctx.type = result.type;
      ctx.body = result.body;
    });
  }
}
