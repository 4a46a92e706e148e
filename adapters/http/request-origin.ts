import type { SessionOrigin } from '../../domain/index.js';

/**
 * Where a request came from, as the use cases take it: the client address (the last X-Forwarded-For hop only
 * under TRUST_PROXY, as Koa reads it) and the user agent. Shown in session lists and the security history, and
 * the per-address budgets count by it; never trusted for anything else.
 */
export function requestOrigin(ctx: { ip: string; get(field: string): string }): SessionOrigin {
  return { ip: ctx.ip, userAgent: ctx.get('User-Agent') };
}
