import type { Middleware } from 'koa';
import type { AuthenticateUser } from '../../../application/index.js';
import { InvalidToken } from '../../../domain/index.js';
import { bearerAuth } from '../middleware/bearer-auth.js';
import { HttpRequestError } from '../request-validation-error.js';
import type { BrowserSessions } from './browser-sessions.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const CSRF_HEADER = 'X-CSRF-Token';

/** Refused before the handler: a call authenticated by the session cookie without its CSRF token or from another origin. */
export const CSRF_REFUSAL_DETAIL = `A request authenticated by the session cookie needs the ${CSRF_HEADER} header of GET /api/v1/auth/csrf, from an allowed origin`;

/**
 * The browser session, for pages and for anything else served to a browser (the OpenID Provider's interactions
 * reuse it): puts the principal in `ctx.state.auth` in the shape the bearer check uses (`Authenticated`: `user`
 * and `session`), and `ctx.state.browserSession` (`{sessionId, csrfToken}`); both stay unset for someone not
 * logged in, and the request goes on. It checks no CSRF token: a handler that changes state calls
 * `sessions.admits(ctx, token)` (or mounts `requireCsrf`) first.
 *
 * To reuse it: `app.use(browserSession(sessions))` (or on one route), then read `ctx.state.auth?.user`; to log a
 * person in, send them to `/login?return_to=<a path on this service>`.
 */
export function browserSession(sessions: BrowserSessions): Middleware {
  return async (ctx, next) => {
    const resolved = await sessions.resolve(ctx);
    if (resolved) {
      ctx.state.auth = { user: resolved.user, session: resolved.session };
      ctx.state.browserSession = resolved.browserSession;
    }
    await next();
  };
}

/**
 * For `/api/v1` routes that need a user: a bearer token when the request has an `Authorization` header, else the
 * browser session cookie. A cookie-authenticated unsafe request must come from an allowed origin and carry the
 * session's token in `X-CSRF-Token`, or it is a 403 before anything runs.
 */
export function bearerOrCookie(authenticate: AuthenticateUser, sessions: BrowserSessions): Middleware {
  const bearer = bearerAuth(authenticate);
  return async (ctx, next) => {
    if (ctx.get('Authorization') !== '' || ctx.cookies.get(sessions.cookieName) === undefined) return bearer(ctx, next);
    const resolved = await sessions.resolve(ctx);
    if (!resolved) throw new InvalidToken('Not authenticated');
    if (!SAFE_METHODS.has(ctx.method) && !(await sessions.admits(ctx, ctx.get(CSRF_HEADER) || undefined))) {
      throw new HttpRequestError(403, CSRF_REFUSAL_DETAIL);
    }
    ctx.state.auth = { user: resolved.user, session: resolved.session };
    ctx.state.browserSession = resolved.browserSession;
    await next();
  };
}
