import type { BrowserSessions } from '../browser-session/browser-sessions.js';
import type { Context } from 'koa';

/** The person logged in on this browser through the service's own `/login` page, and how and when. */
export interface BrowserLogIn {
  readonly userId: string;
  /** When they last proved who they are (the `auth_time` of the ID token). */
  readonly authTime: Date;
  /** RFC 8176 method references of that log-in (`pwd`, `otp`, `mfa`, `hwk`...). */
  readonly amr: readonly string[];
}

/**
 * Reads the service's browser session (the `/login` page's cookie) from a request. The one wiring point between
 * the provider's interactions and the pages: bound in `bootstrap/modules/provider-module.ts`.
 */
export type ReadBrowserLogIn = (ctx: Context) => Promise<BrowserLogIn | undefined>;

/** Nobody is logged in: every authorization goes to `/login` (an embedder that serves no pages). */
export const noBrowserLogIn: ReadBrowserLogIn = async () => undefined;

/**
 * The pages' cookie session (see `browserSession` in `../browser-session/middleware.ts`): the principal it puts in
 * `ctx.state.auth`, with the `amr` and `auth_time` of the log-in that opened (or last re-proved) the session.
 */
export function browserSessionLogIn(sessions: BrowserSessions): ReadBrowserLogIn {
  return async (ctx) => {
    const resolved = await sessions.resolve(ctx);
    if (!resolved) return undefined;
    ctx.state.auth = { user: resolved.user, session: resolved.session };
    return { userId: resolved.user.id, authTime: resolved.session.authTime, amr: [...resolved.session.amr] };
  };
}
