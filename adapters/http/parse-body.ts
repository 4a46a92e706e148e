import type { Context } from 'koa';
import type { z } from 'zod';
import { problem, sendProblem } from './problem.js';
import { RequestValidationError } from './request-validation-error.js';

export type BodyType = 'json' | 'urlencoded';

/**
 * Parses the request body with a route's schema. A body of another media type is a 415, so a client that sends
 * the wrong kind learns that rather than being told its fields are missing. Returns undefined after answering.
 */
export function parseBody<T extends z.ZodType>(ctx: Context, schema: T, accepted: readonly BodyType[]): z.infer<T> | undefined {
  if (!ctx.request.is(...accepted)) {
    sendProblem(ctx, problem(415, `Content-Type must be ${accepted.map(mediaType).join(' or ')}`));
    return undefined;
  }
  const result = schema.safeParse((ctx.request as { body?: unknown }).body ?? {});
  if (!result.success) {
    throw new RequestValidationError(
      result.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.') || '(body)',
        message: issue.message,
      })),
    );
  }
  return result.data;
}

function mediaType(type: BodyType): string {
  return type === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
}
