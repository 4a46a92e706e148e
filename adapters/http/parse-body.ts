import type { Middleware } from 'koa';
import type { z } from 'zod';
import { HttpRequestError, RequestValidationError } from './request-validation-error.js';
import type { BodyMediaType } from './routes/define-route.js';

/** The detail of a 415: it names the media types the route takes. */
export function unsupportedMediaTypeDetail(accepted: readonly BodyMediaType[]): string {
  return `Content-Type must be ${accepted.join(' or ')}`;
}

/**
 * Refuses a body of another media type than the route takes with a 415 before reading it, so a client that sends
 * the wrong kind learns that rather than being told its fields are missing; then reads the body.
 */
export function acceptedBody(accepted: readonly BodyMediaType[], parser: Middleware): Middleware {
  const detail = unsupportedMediaTypeDetail(accepted);
  return (ctx, next) => {
    if (!ctx.request.is(...accepted)) throw new HttpRequestError(415, detail);
    return parser(ctx, next);
  };
}

/** Parses input with a schema: 422 with one entry per offending field. */
export function parseFields(schema: z.ZodType, value: unknown, whole: string): unknown {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new RequestValidationError(
      result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || whole, message: issue.message })),
    );
  }
  return result.data;
}
