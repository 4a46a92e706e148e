import type { Middleware } from 'koa';
import { mapError } from '../error-mapping.js';
import type { HttpLogger } from '../logger.js';
import { sendProblem } from '../problem.js';

/**
 * Every thrown error leaves as problem+json, and only our own failures are 500s. Inside the request log and the
 * metrics, which must see the status it settles on; outside everything that can throw.
 */
export function errorHandler(logger: HttpLogger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const mapped = mapError(error);
      if (mapped.unexpected) {
        logger.error({ err: error, requestId: ctx.state.requestId }, 'unhandled error');
      } else if (mapped.body.status === 503) {
        logger.warn({ err: error, requestId: ctx.state.requestId }, 'dependency unavailable');
      }
      for (const [name, value] of Object.entries(mapped.headers)) ctx.set(name, value);
      sendProblem(ctx, mapped.body);
    }
  };
}
