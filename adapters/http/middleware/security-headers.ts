import type { Middleware } from 'koa';

const JSON_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Headers every response carries. Documentation pages set their own, looser Content-Security-Policy
 * (they run scripts); everything else is JSON and may load nothing.
 */
export function securityHeaders(options: { hsts: boolean }): Middleware {
  return async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Content-Security-Policy', JSON_CSP);
    if (options.hsts) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    await next();
  };
}
