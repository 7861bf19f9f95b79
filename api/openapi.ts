import { z } from 'zod';
import type { RouteSpec } from './route-registry.js';

const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

function schema(zodSchema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const json = z.toJSONSchema(zodSchema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/** OpenAPI 3.1 built from the route declarations and the zod schemas that validate them. */
export function buildOpenApi(specs: RouteSpec[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const path = spec.path.replace(/:(\w+)/g, '{$1}');
    const parameters: Record<string, unknown>[] = [...spec.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: spec.params?.[m[1]!] ? schema(spec.params[m[1]!]!, 'input') : { type: 'string' },
    }));
    if (spec.query) {
      const querySchema = schema(spec.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, property] of Object.entries(querySchema.properties ?? {})) {
        parameters.push({ name, in: 'query', required: querySchema.required?.includes(name) ?? false, schema: property });
      }
    }
    for (const header of spec.headers ?? []) {
      parameters.push({ name: header.name, in: 'header', required: false, description: header.description, schema: header.schema ? schema(header.schema, 'input') : { type: 'string' } });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(spec.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema
          ? { content: { 'application/json': { schema: schema(response.schema, 'output') } } }
          : response.contentType
            ? { content: { [response.contentType]: { schema: { type: 'string' } } } }
            : {}),
      };
    }
    const errorResponse = { description: 'Error', content: { 'application/json': { schema: schema(errorBody, 'output') } } };
    // What the shared middleware answers, so every route documents it.
    if (spec.body || spec.query || spec.headers?.length || spec.path.includes(':')) responses['400'] ??= { ...errorResponse, description: 'Invalid input' };
    if (spec.auth !== false) responses['401'] ??= { ...errorResponse, description: 'Missing or unknown API key' };
    if (spec.path.includes(':')) responses['404'] ??= { ...errorResponse, description: 'Not found (or not yours)' };
    if (spec.body) {
      responses['413'] ??= { ...errorResponse, description: 'Body larger than 1 MiB' };
      responses['415'] ??= { ...errorResponse, description: 'Body not sent as application/json' };
      responses['422'] ??= { ...errorResponse, description: 'Well-formed, but refused: a rule between fields or against stored data (the message says which)' };
    }
    for (const status of Object.keys(responses)) {
      if (Number(status) >= 400 && !(responses[status] as { content?: unknown }).content) {
        responses[status] = { ...errorResponse, description: (responses[status] as { description: string }).description };
      }
    }
    paths[path] ??= {};
    paths[path]![spec.method] = {
      summary: spec.summary,
      tags: [spec.tag],
      operationId: `${spec.method}${path.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      ...(parameters.length ? { parameters } : {}),
      ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema(spec.body, 'input') } } } } : {}),
      ...(spec.rawBody
        ? { requestBody: { required: true, description: spec.rawBody.description, content: Object.fromEntries(spec.rawBody.contentTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])) } }
        : {}),
      responses,
      ...(spec.auth === false ? { security: [] } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Caty API',
      version,
      description: 'Durable AI customer conversations on WhatsApp and the web. Errors are `{"error": {"code", "message", "details"?}}`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An account API key, or the operator key (CATY_ADMIN_KEY)' } } },
    paths,
  };
}
