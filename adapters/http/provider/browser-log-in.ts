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

/** Until the pages' cookie session is wired in: nobody is logged in, so every authorization goes to `/login`. */
export const noBrowserLogIn: ReadBrowserLogIn = async () => undefined;
