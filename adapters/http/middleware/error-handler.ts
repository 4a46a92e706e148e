import type { Context } from 'koa';
import { ServiceUnavailable } from '../../../application/errors.js';
import { mapError } from '../error-mapping.js';
import type { HttpLogger } from '../logger.js';
import { sendProblem } from '../problem.js';

/** Answers a thrown error as problem+json; only our own failures are 500s, logged with their stack. */
export function answerError(ctx: Context, error: unknown, logger: HttpLogger): void {
  const mapped = mapError(error);
  if (mapped.unexpected) {
    logger.error({ err: error, requestId: ctx.state.requestId }, 'unhandled error');
  } else if (mapped.body.status === 503 && !(error instanceof ServiceUnavailable && error.reported)) {
    // A dependency that reports its own change of state (the Redis limiter) would otherwise be logged per request.
    logger.warn({ err: error, requestId: ctx.state.requestId }, 'dependency unavailable');
  }
  for (const [name, value] of Object.entries(mapped.headers)) ctx.set(name, value);
  sendProblem(ctx, mapped.body);
}
