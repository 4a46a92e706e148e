import type { Middleware } from 'koa';
import { problem, sendProblem } from '../problem.js';

/**
 * Innermost: a 404 no route answered, or the 405 the router's `allowedMethods` sets with no body, still leaves
 * as problem+json rather than Koa's plain text.
 */
export function emptyErrorAsProblem(): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.body == null && ctx.status >= 400) {
      const detail = ctx.status === 404 ? 'No such resource' : undefined;
      sendProblem(ctx, problem(ctx.status, detail));
    }
  };
}
