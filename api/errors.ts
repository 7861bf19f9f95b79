import type { Middleware } from 'koa';
import { ZodError } from 'zod';
import { classifyError } from '../activities/errors.js';

export type ApiErrorCode =
  | 'validation_failed'
  | 'malformed_json'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'gone'
  | 'unprocessable'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

const STATUS: Record<ApiErrorCode, number> = {
  validation_failed: 400,
  malformed_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  gone: 410,
  unprocessable: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** The one error type of the API: it knows its status and renders as `{"error": {...}}`. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.status = STATUS[code];
  }

  static notFound(what: string): ApiError {
    return new ApiError('not_found', `${what} not found`);
  }
}

/** A piece of the request's path, percent-decoded: a malformed escape (`%E0`) is the caller's mistake, a 400. */
export function decodePathPart(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new ApiError('validation_failed', `the path has a malformed percent-escape: ${JSON.stringify(text.slice(0, 200))}`);
  }
}

type ZodIssue = ZodError['issues'][number];

interface Problem {
  path: string;
  message: string;
  /** A rule the OpenAPI document cannot state (see api/schemas.ts `semantic`). */
  semantic: boolean;
}

/**
 * Issues with their full paths. A union that failed (`message`: a string or an object) reports
 * the problems of the branch whose type matched, so the caller reads `message.buttons: …`
 * rather than a bare "Invalid input"; a record key that failed reports its own message.
 */
function flattenIssues(issues: readonly ZodIssue[], prefix: PropertyKey[] = []): Problem[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_key' && 'issues' in issue && issue.issues.length) return flattenIssues(issue.issues as ZodIssue[], path);
    if (issue.code === 'invalid_union' && 'errors' in issue) {
      const matched = issue.errors.filter((branch) => !branch.every((i) => i.code === 'invalid_type' && i.path.length === 0));
      if (matched.length === 1) return flattenIssues(matched[0]!, path);
      // Several object shapes (text with buttons, a file with a caption): the one meant is the one
      // that knows every key the caller sent.
      const knowsTheKeys = matched.filter((branch) => !branch.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0));
      if (knowsTheKeys.length === 1) return flattenIssues(knowsTheKeys[0]!, path);
    }
    const semantic = issue.code === 'custom' && (issue as { params?: { status?: number } }).params?.status === 422;
    return [{ path: path.map(String).join('.'), message: issue.message, semantic }];
  });
}

function fromZod(error: ZodError): ApiError {
  const problems = flattenIssues(error.issues);
  const first = problems[0];
  const message = first ? (first.path ? `${first.path}: ${first.message}` : first.message) : 'invalid request';
  // Well-formed but refused (every problem is of that kind): 422; otherwise malformed: 400.
  const code = problems.length > 0 && problems.every((p) => p.semantic) ? 'unprocessable' : 'validation_failed';
  return new ApiError(code, message, problems.map(({ path, message }) => ({ path, message })));
}

/** Renders every failure in the contract's shape; never a stack trace, never a 500 for bad input. */
export function errorHandler(log: (error: unknown) => void): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new ApiError('not_found', `no route for ${ctx.method} ${ctx.path}`);
    } catch (caught) {
      let error: ApiError;
      if (caught instanceof ApiError) error = caught;
      else if (caught instanceof ZodError) error = fromZod(caught);
      else if (isHttpError(caught) && caught.status < 500) error = httpError(caught);
      else if (classifyError(caught) === 'transient') {
        // The database or Temporal is away or shedding load: the caller may try again shortly.
        ctx.set('Retry-After', '2');
        error = new ApiError('unavailable', 'the service is unavailable for a moment; try again in 2 s');
      } else {
        log(caught);
        error = new ApiError('internal', 'internal error; it has been logged');
      }
      ctx.status = error.status;
      ctx.body = { error: { code: error.code, message: error.message, ...(error.details !== undefined ? { details: error.details } : {}) } };
    }
  };
}

function isHttpError(error: unknown): error is { status: number; message: string; type?: string } {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number';
}

function httpError(error: { status: number; message: string; type?: string }): ApiError {
  if (error.status === 413) return new ApiError('payload_too_large', 'request body is too large');
  if (error.status === 415) return new ApiError('unsupported_media_type', 'send the body as application/json');
  if (error.type === 'entity.parse.failed' || error.status === 400) return new ApiError('malformed_json', 'request body is not valid JSON');
  if (error.status === 401) return new ApiError('unauthorized', error.message);
  return new ApiError('unprocessable', error.message);
}
