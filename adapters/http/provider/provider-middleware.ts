import type { Context, Middleware, Next } from 'koa';
import type Provider from 'oidc-provider';
import { escapeHtml, interactionPath, PROVIDER_PREFIX, PROVIDER_ROUTES } from '../../oidc-provider/create-openid-provider.js';
import { providerPage } from '../../oidc-provider/provider-pages.js';
import type { BrowserLogIn, ReadBrowserLogIn } from './browser-log-in.js';

export const DISCOVERY_PATH = '/.well-known/openid-configuration';

/**
 * Pages the provider serves: no script of ours; oidc-provider adds the hash of the one inline script it writes
 * (the form_post response) to `script-src`. `form-action` is left open: form_post posts to the client.
 */
const PROVIDER_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'";


/**
 * Keyed by the Node request: oidc-provider runs its checks on a context of its own, built from the same request.
 * `null`: read, and nobody is logged in.
 */
const browserLogIns = new WeakMap<object, BrowserLogIn | null>();

/** The log-in on this browser, as read at the start of an authorization or interaction request. */
export const browserLogInOf = (ctx: { req: object }): BrowserLogIn | undefined => browserLogIns.get(ctx.req) ?? undefined;

export interface ProviderHttpOptions {
  readonly readBrowserLogIn: ReadBrowserLogIn;
  /** Where a person logs in; comes back to `return_to` (a path of this service) afterwards. */
  readonly loginPath: string;
  /** The service's own origin (PUBLIC_URL's): a POST from any other is refused. */
  readonly origin: string;
  /** A consent given (a grant made or widened) is recorded. */
  readonly onConsent: (grant: { grantId: string; accountId: string; clientId: string; scopes: readonly string[] }, ctx: Context) => Promise<void>;
  readonly now: () => Date;
}

/**
 * oidc-provider mounted in the service's Koa app, at the root (so discovery sits at the issuer's `/.well-known/`)
 * with every endpoint under `/oauth2/`; ahead of the body parser, which must not consume what the library reads.
 * Requests elsewhere pass through untouched. The interaction step (`/oauth2/interaction/{uid}`) is ours.
 */
export function providerMiddleware(provider: Provider, options: ProviderHttpOptions): Middleware {
  const handle = compose(provider.middleware as Middleware[]);
  const interactions = interactionRoutes(provider, options);
  return async (ctx, next) => {
    if (ctx.path !== DISCOVERY_PATH && !ctx.path.startsWith(`${PROVIDER_PREFIX}/`)) return next();
    ctx.set('Content-Security-Policy', PROVIDER_CSP);
    // Read with the service's own cookie jar, before the provider's replaces it (that one checks signatures).
    if (ctx.path.startsWith(PROVIDER_ROUTES.authorization) || ctx.path.startsWith(`${PROVIDER_PREFIX}/interaction/`)) {
      browserLogIns.set(ctx.req, (await options.readBrowserLogIn(ctx)) ?? null);
    }
    // oidc-provider signs its cookies with its own keys, through `ctx.cookies`: give it the provider's jar
    // (Koa builds `ctx.cookies` from the outer app, which has no keys).
    ctx.cookies = provider.createContext(ctx.req, ctx.res).cookies;
    if (ctx.path.startsWith(`${PROVIDER_PREFIX}/interaction/`)) return interactions(ctx, next);
    return handle(ctx, next);
  };
}

function interactionRoutes(provider: Provider, options: ProviderHttpOptions): Middleware {
  const pattern = new RegExp(`^${PROVIDER_PREFIX}/interaction/([A-Za-z0-9_-]{1,64})(/confirm|/abort)?$`);
  return async (ctx, next) => {
    const match = pattern.exec(ctx.path);
    if (!match) return next();
    const action = match[2];
    ctx.set('Cache-Control', 'no-store');
    if (action === undefined && ctx.method !== 'GET' && ctx.method !== 'HEAD') return methodNotAllowed(ctx, 'GET, HEAD');
    if (action !== undefined) {
      if (ctx.method !== 'POST') return methodNotAllowed(ctx, 'POST');
      // The interaction cookie is SameSite=Lax, so a cross-site POST carries none; the origin check says so early.
      if (!sameOrigin(ctx, options.origin)) {
        ctx.status = 403;
        return providerPage(ctx, 'Refused', '<h1>This request came from another site</h1>');
      }
    }
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.uid !== match[1]) {
      ctx.status = 400;
      return providerPage(ctx, 'Sign-in error', '<h1>This sign-in step belongs to another request</h1>');
    }
    const login = browserLogInOf(ctx);

    if (action === '/abort') {
      return finish(ctx, provider, { error: 'access_denied', error_description: 'The person refused the request' }, false);
    }

    if (details.prompt.name === 'login') {
      if (!login || needsFreshLogIn(details, login, options.now())) {
        const back = interactionPath(details.uid);
        return ctx.redirect(`${options.loginPath}?prompt=login&return_to=${encodeURIComponent(back)}`);
      }
      const result = { login: { accountId: login.userId, amr: [...login.amr], ts: Math.floor(login.authTime.getTime() / 1000), remember: true } };
      return finish(ctx, provider, result, false);
    }

    if (details.prompt.name === 'consent') {
      const accountId = details.session?.accountId;
      // The person on this browser must be the one the provider's session says approved: a log-out and another
      // log-in in between starts again from the login step.
      if (!login || accountId === undefined || login.userId !== accountId) {
        return ctx.redirect(`${options.loginPath}?return_to=${encodeURIComponent(interactionPath(details.uid))}`);
      }
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
      const clientId = String(details.params.client_id);
      if (action === '/confirm') {
        const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId });
        if (!grant) return finish(ctx, provider, { error: 'access_denied', error_description: 'The grant ended meanwhile' }, false);
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
        const grantId = await grant.save();
        await options.onConsent({ grantId, accountId, clientId, scopes: grant.getOIDCScope().split(' ').filter(Boolean) }, ctx);
        return finish(ctx, provider, { consent: { grantId } }, true);
      }
      const client = await provider.Client.find(clientId);
      return consentPage(ctx, details.uid, client?.clientName ?? clientId, missing.missingOIDCScope ?? []);
    }

    ctx.status = 400;
    return providerPage(ctx, 'Sign-in error', '<h1>This sign-in step is not one this service knows</h1>');
  };
}

/** `prompt=login`, `max_age` or an `id_token_hint` for someone else: a log-in that happened before this request will not do. */
function needsFreshLogIn(details: { iat?: number; params: Record<string, unknown>; prompt: { reasons: string[] } }, login: BrowserLogIn, now: Date): boolean {
  const authTime = Math.floor(login.authTime.getTime() / 1000);
  const startedAt = details.iat ?? 0;
  const maxAge = details.params.max_age === undefined ? undefined : Number(details.params.max_age);
  if (maxAge !== undefined && Number.isFinite(maxAge) && Math.floor(now.getTime() / 1000) - authTime > maxAge && authTime < startedAt) return true;
  if (details.prompt.reasons.includes('login_prompt') && authTime < startedAt) return true;
  return false;
}

async function finish(ctx: Context, provider: Provider, result: Record<string, unknown>, merge: boolean): Promise<void> {
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: merge });
  if (ctx.method === 'GET' || ctx.method === 'HEAD') {
    // Reached by the redirects that follow the /login form: the pages' CSP says `form-action 'self'`, and browsers
    // apply it to every redirect after a form post, so the provider's final redirect to the client would be blocked.
    // A refresh starts a navigation of its own, which form-action does not govern.
    ctx.set('Refresh', `0; url=${returnTo}`);
    return providerPage(ctx, 'Signing in', `<p>Signing in… <a href="${escapeHtml(returnTo)}">Continue</a></p>`);
  }
  // 303: the browser follows a POST's answer with a GET to the authorization endpoint.
  ctx.status = 303;
  ctx.redirect(returnTo);
}

function consentPage(ctx: Context, uid: string, clientName: string, scopes: readonly string[]): void {
  const items = scopes.map((scope) => `<li>${escapeHtml(SCOPE_TEXT[scope] ?? scope)}</li>`).join('');
  const base = interactionPath(uid);
  providerPage(
    ctx,
    'Allow access?',
    `<h1>${escapeHtml(clientName)} asks to</h1><ul>${items}</ul>` +
      `<form method="post" action="${base}/confirm"><button type="submit">Allow</button></form>` +
      `<form method="post" action="${base}/abort"><button type="submit">Deny</button></form>`,
  );
}

const SCOPE_TEXT: Readonly<Record<string, string>> = {
  openid: 'know who you are on this service',
  email: 'see your email address',
  profile: 'see your username',
  offline_access: 'stay signed in when you are away',
};

function sameOrigin(ctx: Context, origin: string): boolean {
  const site = ctx.get('Sec-Fetch-Site');
  if (site !== '' && site !== 'same-origin' && site !== 'none') return false;
  const given = ctx.get('Origin');
  return given === '' || given === origin;
}

function methodNotAllowed(ctx: Context, allow: string): void {
  ctx.status = 405;
  ctx.set('Allow', allow);
  ctx.body = '';
}

/** Koa's composition, for the provider's own middleware run inside our request (koa-mount does the same). */
function compose(middleware: readonly Middleware[]): (ctx: Context, next: Next) => Promise<void> {
  return (ctx, next) => {
    let index = -1;
    const dispatch = (i: number): Promise<void> => {
      if (i <= index) return Promise.reject(new Error('next() called multiple times'));
      index = i;
      const fn = i === middleware.length ? next : middleware[i];
      if (!fn) return Promise.resolve();
      return Promise.resolve(fn(ctx, () => dispatch(i + 1)));
    };
    return dispatch(0);
  };
}
