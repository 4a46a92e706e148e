import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { HttpLogger } from '../logger.js';

// A caller's id is kept only when it cannot smuggle anything into a log line or a header.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives each request an id (the caller's `X-Request-Id` when it is safe, else a new UUID), returns it, and writes
 * one log line when the response is done. The line never holds headers, bodies or tokens.
 */
export function requestLog(logger: HttpLogger): Middleware {
  return async (ctx, next) => {
    const start = process.hrtime.bigint();
    const incoming = ctx.get('X-Request-Id');
    const requestId = SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      logger.info(
        {
          requestId,
          method: ctx.method,
          route: (ctx as { _matchedRoute?: string })._matchedRoute ?? null,
          status: ctx.status,
          durationMs: Number(process.hrtime.bigint() - start) / 1e6,
        },
        'request',
      );
    }
  };
}
