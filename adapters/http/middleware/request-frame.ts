import { randomUUID } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { HttpMetrics } from '../http-metrics.js';
import type { HttpLogger } from '../logger.js';
import { problem, sendProblem } from '../problem.js';
import { answerError } from './error-handler.js';

/** The route label of a request no route matched (unknown path, or refused by the rate limiter before routing). */
export const UNMATCHED_ROUTE = 'unmatched';

// A caller's id is kept only when it cannot smuggle anything into a log line or a header.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const JSON_CSP = "default-src 'none'; frame-ancestors 'none'";

export interface RequestFrameOptions {
  readonly logger: HttpLogger;
  /** Absent: nothing measured. */
  readonly metrics?: Pick<HttpMetrics, 'observeRequest'>;
  readonly hsts: boolean;
  readonly isShuttingDown: () => boolean;
}

/**
 * What every request passes through, as one middleware rather than six (each an async frame and a promise on the
 * hot path), in this order:
 *
 * - a request id: the caller's `X-Request-Id` when it is safe, else a new UUID, returned in the response;
 * - the headers every response carries; documentation pages set their own, looser Content-Security-Policy (they
 *   run scripts); everything else is JSON and may load nothing;
 * - every thrown error leaves as problem+json, and only our own failures are 500s; a 404 no route answered, or the
 *   405 the router sets with no body, leaves as problem+json too rather than Koa's plain text;
 * - once the status is settled: `Connection: close` while shutting down (an idle keep-alive socket would hold the
 *   server open until its timeout), one histogram observation, and one log line that never holds headers, bodies
 *   or tokens.
 */
export function requestFrame(options: RequestFrameOptions): Middleware {
  const { logger, hsts, isShuttingDown } = options;
  return async (ctx, next) => {
    const start = process.hrtime.bigint();
    const incoming = ctx.get('X-Request-Id');
    const requestId = SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Content-Security-Policy', JSON_CSP);
    if (hsts) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    try {
      await next();
      if (ctx.body == null && ctx.status >= 400) sendProblem(ctx, problem(ctx.status, ctx.status === 404 ? 'No such resource' : undefined));
    } catch (error) {
      answerError(ctx, error, logger);
    } finally {
      if (isShuttingDown()) ctx.set('Connection', 'close');
      finish(ctx, start, requestId, options);
    }
  };
}

function finish(ctx: Context, start: bigint, requestId: string, { logger, metrics }: RequestFrameOptions): void {
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const route = (ctx as { _matchedRoute?: string })._matchedRoute;
  metrics?.observeRequest(ctx.method, route ?? UNMATCHED_ROUTE, ctx.status, seconds);
  logger.info({ requestId, method: ctx.method, route: route ?? null, status: ctx.status, durationMs: seconds * 1000 }, 'request');
}
