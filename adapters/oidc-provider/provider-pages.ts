import type { Context } from 'koa';

/**
 * The few pages oidc-provider itself renders (errors, the logout question), plain and script-free. The log-in and
 * consent steps are the service's own pages.
 */
export function providerPage(ctx: Context, title: string, body: string): void {
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body><main>${body}</main></body></html>`;
}
