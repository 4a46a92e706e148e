import type { Middleware } from 'koa';
import { ServiceUnavailable } from '../../../application/errors.js';
import { mapError } from '../error-mapping.js';
import type { HttpLogger } from '../logger.js';
import { sendProblem } from '../problem.js';

/** Outermost middleware: every thrown error leaves as problem+json, and only our own failures are 500s. */
export function errorHandler(logger: HttpLogger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const mapped = mapError(error);
      if (mapped.unexpected) {
        logger.error({ err: error, requestId: ctx.state.requestId }, 'unhandled error');
      } else if (mapped.body.status === 503 && !(error instanceof ServiceUnavailable && error.reported)) {
        logger.warn({ err: error, requestId: ctx.state.requestId }, 'dependency unavailable');
      }
      for (const [name, value] of Object.entries(mapped.headers)) ctx.set(name, value);
      sendProblem(ctx, mapped.body);
    }
  };
}
