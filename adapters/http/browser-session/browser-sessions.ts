import { createHmac, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { Context } from 'koa';
import type { Authenticated, ResumeSession, SessionId } from '../../../application/index.js';
import { InvalidToken } from '../../../domain/index.js';

export interface BrowserSessionOptions {
  /**
   * `Secure` cookies with the `__Host-` prefix. Off only for NODE_ENV=development over plain http on localhost,
   * where a browser would refuse to store a `Secure` cookie from some set-ups and the prefix requires it.
   */
  readonly secure: boolean;
  /** Origins whose pages may post to us (PUBLIC_URL's and CORS_ORIGINS); read per request (PORT=0 resolves late). */
  readonly allowedOrigins: () => ReadonlySet<string>;
  /** HMAC key proving a session cookie was made here; derived from the signing secret (see bootstrap). */
  readonly cookieKey: KeyObject;
  /** HMAC key for CSRF tokens; a separate derivation, so no cookie is ever a valid token or the reverse. */
  readonly csrfKey: KeyObject;
}

/** What a request authenticated by the session cookie carries in `ctx.state.browserSession`. */
export interface BrowserSessionState {
  readonly sessionId: SessionId;
  /** The CSRF token of this session, for forms (`csrf_token`) and `X-CSRF-Token`. */
  readonly csrfToken: string;
}

const MAC_LENGTH = 43; // base64url of 32 bytes
const PRE_SESSION_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * Browser sessions: a cookie naming a session of the one session store, and the CSRF rules that go with it.
 *
 * The cookie holds `<session id>.<HMAC-SHA256(cookie key, session id)>`: no password, no token that works as a
 * bearer, nothing secret but the MAC. Every request reads the session row (`ResumeSession`), so a log-out, a
 * password change or an administrator ending the session ends the browser's at once. The session's lifetime is the
 * one a password log-in gets (REFRESH_TOKEN_EXPIRE_DAYS), counted from the log-in; a browser session is never
 * refreshed. Rotating the signing secret logs every browser out.
 *
 * CSRF (OWASP's "signed double-submit" variant bound to the session): the token is HMAC(csrf key, session id), sent
 * as the form field `csrf_token` or the `X-CSRF-Token` header, and checked with the origin of the request.
 * Anonymous forms (log-in, registration) get a token bound to a random pre-session cookie instead.
 */
export class BrowserSessions {
  readonly cookieName: string;
  readonly preSessionCookieName: string;
  /** Holds the `mfa_token` between the password step and the code step of a log-in. */
  readonly pendingLogInCookieName: string;

  constructor(
    private readonly resume: ResumeSession,
    private readonly options: BrowserSessionOptions,
  ) {
    const prefix = options.secure ? '__Host-' : '';
    this.cookieName = `${prefix}auth_session`;
    this.preSessionCookieName = `${prefix}auth_pre`;
    this.pendingLogInCookieName = `${prefix}auth_mfa`;
  }

  csrfToken(sessionId: SessionId): string {
    return mac(this.options.csrfKey, `session:${sessionId}`);
  }

  /**
   * Resolves the session cookie: the user and session, or undefined (no cookie, a forged one, or an ended session:
   * then the cookie is cleared). Cached on the context, so a request pays for one read.
   */
  async resolve(ctx: Context): Promise<(Authenticated & { browserSession: BrowserSessionState }) | undefined> {
    const cached = ctx.state.browserSessionResolved as (Authenticated & { browserSession: BrowserSessionState }) | null | undefined;
    if (cached !== undefined) return cached ?? undefined;
    const sessionId = this.#sessionIdFrom(ctx.cookies.get(this.cookieName));
    let resolved: (Authenticated & { browserSession: BrowserSessionState }) | undefined;
    if (sessionId !== undefined) {
      try {
        const auth = await this.resume.execute(sessionId);
        resolved = { ...auth, browserSession: { sessionId, csrfToken: this.csrfToken(sessionId) } };
      } catch (error) {
        if (!(error instanceof InvalidToken)) throw error;
      }
    }
    if (resolved === undefined && ctx.cookies.get(this.cookieName) !== undefined) this.end(ctx);
    ctx.state.browserSessionResolved = resolved ?? null;
    return resolved;
  }

  /** Sets the cookie for a session just opened by a log-in; it lasts as long as the session. */
  start(ctx: Context, sessionId: SessionId, expiresAt: Date, now: Date): void {
    const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
    this.#setCookie(ctx, this.cookieName, `${sessionId}.${mac(this.options.cookieKey, `cookie:${sessionId}`)}`, maxAge);
    ctx.state.browserSessionResolved = undefined;
  }

  end(ctx: Context): void {
    this.#setCookie(ctx, this.cookieName, '', 0);
  }

  setPendingLogIn(ctx: Context, mfaToken: string, maxAgeSeconds: number): void {
    this.#setCookie(ctx, this.pendingLogInCookieName, mfaToken, maxAgeSeconds);
  }

  pendingLogIn(ctx: Context): string | undefined {
    const value = ctx.cookies.get(this.pendingLogInCookieName);
    return value && /^[A-Za-z0-9_-]{16,200}$/.test(value) ? value : undefined;
  }

  clearPendingLogIn(ctx: Context): void {
    this.#setCookie(ctx, this.pendingLogInCookieName, '', 0);
  }

  /**
   * The CSRF token for a form shown to someone not logged in, bound to a random pre-session cookie (set here when
   * missing, for the browser's session only).
   */
  anonymousCsrfToken(ctx: Context): string {
    let value = ctx.cookies.get(this.preSessionCookieName);
    if (!value || !PRE_SESSION_PATTERN.test(value)) {
      value = randomBytes(16).toString('base64url');
      this.#setCookie(ctx, this.preSessionCookieName, value, undefined);
    }
    return mac(this.options.csrfKey, `pre:${value}`);
  }

  /**
   * Whether an unsafe request may change anything: it comes from one of our own origins and carries the token of
   * its session (or, with no session, of its pre-session cookie).
   */
  async admits(ctx: Context, presented: string | undefined): Promise<boolean> {
    if (!this.isSameOriginRequest(ctx) || presented === undefined) return false;
    const session = await this.resolve(ctx);
    if (session) return equal(presented, session.browserSession.csrfToken);
    const pre = ctx.cookies.get(this.preSessionCookieName);
    return pre !== undefined && PRE_SESSION_PATTERN.test(pre) && equal(presented, mac(this.options.csrfKey, `pre:${pre}`));
  }

  /**
   * Fetch Metadata first: under `Referrer-Policy: no-referrer` Chromium sends `Origin: null` even for a page's own
   * same-origin form posts, while `Sec-Fetch-Site: same-origin` is set by the browser and cannot be forged by a page.
   * Otherwise the `Origin` must be one we serve or list; `same-site` siblings not listed are refused. A request with
   * neither header is not from a current browser: the session-bound token alone has to do.
   */
  isSameOriginRequest(ctx: Context): boolean {
    const site = ctx.get('Sec-Fetch-Site');
    if (site === 'same-origin') return true;
    const origin = ctx.get('Origin');
    if (origin !== '' && origin !== 'null') return this.options.allowedOrigins().has(origin);
    return site === '';
  }

  #sessionIdFrom(value: string | undefined): SessionId | undefined {
    if (!value) return undefined;
    const dot = value.indexOf('.');
    if (dot <= 0 || value.length - dot - 1 !== MAC_LENGTH) return undefined;
    const sessionId = value.slice(0, dot);
    if (!/^[0-9a-f-]{36}$/.test(sessionId)) return undefined;
    return equal(value.slice(dot + 1), mac(this.options.cookieKey, `cookie:${sessionId}`)) ? sessionId : undefined;
  }

  /** By hand rather than `ctx.cookies.set`: Koa refuses a `Secure` cookie on a plain-http hop behind a TLS proxy. */
  #setCookie(ctx: Context, name: string, value: string, maxAgeSeconds: number | undefined): void {
    const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
    if (this.options.secure) parts.push('Secure');
    if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`);
    ctx.append('Set-Cookie', parts.join('; '));
  }
}

function mac(key: KeyObject, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url');
}

function equal(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
