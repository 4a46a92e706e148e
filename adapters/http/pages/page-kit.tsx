import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { DomainError, type User } from '../../../domain/index.js';
import type { BrowserSessions } from '../browser-session/browser-sessions.js';
import type { PageAssets } from './assets.js';
import { MessagePage } from './message-page.js';
import type { FieldErrors, PageContext } from './page-context.js';

/**
 * The pages' Content-Security-Policy: everything from this origin only, scripts only with this response's nonce
 * (so no inline handler and no injected `<script>` runs), no plugins, no `<base>`, forms post only here, and no
 * framing (clickjacking).
 */
export function pageCsp(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The headers of every page, set before the handler runs so an error page carries them too. */
export function setPageHeaders(ctx: Context): string {
  const nonce = randomBytes(16).toString('base64');
  ctx.state.cspNonce = nonce;
  ctx.set('Content-Security-Policy', pageCsp(nonce));
  // Keeps the origin on same-origin requests (the API's no-referrer makes Chromium send `Origin: null` on our own
  // form posts) and sends nothing to anyone else: a token in a page's URL never leaves in a Referer.
  ctx.set('Referrer-Policy', 'same-origin');
  ctx.set('X-Frame-Options', 'DENY');
  // Pages show personal data and carry CSRF tokens: never cached, by the browser's back button either.
  ctx.set('Cache-Control', 'no-store');
  return nonce;
}

export function pageContext(ctx: Context, sessions: BrowserSessions, assets: PageAssets): PageContext {
  const browserSession = ctx.state.browserSession as { csrfToken: string } | undefined;
  return {
    nonce: ctx.state.cspNonce as string,
    assets,
    csrfToken: browserSession?.csrfToken ?? sessions.anonymousCsrfToken(ctx),
    user: (ctx.state.auth as { user: User } | undefined)?.user,
  };
}

export function render(ctx: Context, page: VNode, status = 200): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = `<!doctype html>${renderToString(page)}`;
}

/** POST-redirect-GET: 303, so the browser follows with a GET and a reload never posts twice. */
export function redirect(ctx: Context, location: string): void {
  ctx.status = 303;
  ctx.redirect(location);
}

/** The fields of a form post, as strings (a repeated field keeps its first value). */
export function formFields(ctx: Context): Readonly<Record<string, string>> {
  const body = (ctx.request as { body?: unknown }).body;
  const fields: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [name, value] of Object.entries(body)) {
      const first = Array.isArray(value) ? value[0] : value;
      if (typeof first === 'string') fields[name] = first;
    }
  }
  return fields;
}

/**
 * Where to go after logging in: a path on this service only. `//host` and `/\host` are other origins to a
 * browser, and anything else could send a person off-site straight from our log-in (an open redirect).
 */
export function safeReturnTo(value: string | undefined): string | undefined {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || [...value].some((c) => c.charCodeAt(0) < 0x20)) return undefined;
  return value.length <= 2000 ? value : undefined;
}

/** A domain error as form errors: on its field when it names one, else on the form. */
export function fieldErrors(error: DomainError, fieldNames: Readonly<Record<string, string>> = {}): FieldErrors {
  const field = error.field === undefined ? 'form' : (fieldNames[error.field] ?? error.field);
  return { [field]: error.message };
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** A refused cross-site post or a missing CSRF token: 403, nothing changed. */
export function renderCsrfRefusal(ctx: Context, page: PageContext): void {
  render(
    ctx,
    <MessagePage page={page} title="Request refused">
      <p>This form was sent from another site, or from a page that is too old. Nothing was changed.</p>
      <p>
        <a href={ctx.path}>Open the page again</a> and send the form from there.
      </p>
    </MessagePage>,
    403,
  );
}

/** Texts of the notices a redirect may ask for (`?done=`): fixed here, so no request can put words on a page. */
export const NOTICES = {
  registered: 'Your account is ready. We mailed you a link to confirm your address; you can log in now.',
  'registered-verify': 'Almost done: open the link we mailed you to confirm your address, then log in.',
  'logged-out': 'You are logged out.',
  'reset-sent': 'If an account has this address, a link to reset its password is on its way. It works for a limited time.',
  'password-reset': 'Your password is changed and every session ended. Log in with the new password.',
  'password-changed': 'Your password is changed and every session ended. Log in with the new password.',
  verified: 'Your email address is confirmed.',
  reverted: 'The old email address is back. If someone else may know your password, reset it now.',
  'profile-saved': 'Your username is saved.',
  'email-changed': 'Your email is changed. Open the link we mailed to the new address to confirm it.',
  'email-confirm-sent': 'We mailed a link to the new address: the change happens when you open it.',
  'verification-sent': 'We mailed you a new verification link.',
  'two-factor-off': 'Two-factor log-in is off.',
  'session-ended': 'The session is ended.',
  'session-expired': 'Your session ended. Log in again.',
} as const;

export type NoticeKey = keyof typeof NOTICES;

export function noticeFrom(ctx: Context): string | undefined {
  const key = ctx.query.done;
  return typeof key === 'string' && Object.hasOwn(NOTICES, key) ? NOTICES[key as NoticeKey] : undefined;
}
