import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import QRCode from 'qrcode';
import type {
  AuthenticateUser,
  Clock,
  CompleteMfaLogIn,
  ConfirmTotp,
  DisableTotp,
  EndSession,
  EnrolTotp,
  ListMyEvents,
  ListSessions,
  LogIn,
  Passkeys,
  LogOut,
  RegisterUser,
  RequestPasswordReset,
  RequestVerification,
  ResetPassword,
  RevertEmail,
  SessionTokens,
  UpdateCurrentUser,
  VerifyEmail,
} from '../../../application/index.js';
import {
  EmailTaken,
  InvalidCredentials,
  InvalidCursor,
  InvalidMfaLogIn,
  InvalidOneTimeToken,
  InvalidOtp,
  InvalidPasskeyLogIn,
  MfaRequired,
  PasskeyNotFound,
  TooManyLoginAttempts,
  type Session,
  type User,
} from '../../../domain/index.js';
import { passwordProof } from '../../../application/core/reauthentication.js';
import type { BrowserSessions } from '../browser-session/browser-sessions.js';
import { browserSession } from '../browser-session/middleware.js';
import { requestOrigin } from '../request-origin.js';
import { AccountPage, type AccountForm } from './account-page.js';
import { ASSET_PREFIX, type PageAssets } from './assets.js';
import { DevMailPage, type DevMail } from './dev-mail-page.js';
import { EmailLinkPage } from './email-link-page.js';
import { ForgotPasswordPage } from './forgot-password-page.js';
import { LogInCodePage } from './login-code-page.js';
import { LogInPage, type LogInAlternatives } from './login-page.js';
import { LogOutPage } from './logout-page.js';
import {
  fieldErrors,
  formFields,
  isDomainError,
  noticeFrom,
  pageContext,
  redirect,
  render,
  renderCsrfRefusal,
  safeReturnTo,
  setPageHeaders,
  type NoticeKey,
} from './page-kit.js';
import type { FieldErrors } from './page-context.js';
import { RecoveryCodesPage } from './recovery-codes-page.js';
import { RegisterPage } from './register-page.js';
import { ResetPasswordPage } from './reset-password-page.js';
import { TwoFactorSetupPage } from './two-factor-setup-page.js';

/** The development outbox as `/dev/mail` reads it. */
export interface DevMailbox {
  list(): Promise<DevMail[]>;
  /** Whether this request may see it: a loopback peer, no forwarding header (the service-wide conditions are the caller's). */
  admits(ctx: Context): boolean;
}

/** What the pages call: the application's use cases, directly (not the JSON API over HTTP). */
export interface PagesDependencies {
  readonly sessions: BrowserSessions;
  readonly assets: PageAssets;
  readonly clock: Clock;
  readonly registerUser: RegisterUser;
  readonly logIn: LogIn;
  readonly completeMfaLogIn: CompleteMfaLogIn;
  /** Reads the session a log-in just opened from its access token, to name it in the cookie. */
  readonly authenticateUser: AuthenticateUser;
  readonly logOut: LogOut;
  readonly listSessions: ListSessions;
  readonly endSession: EndSession;
  readonly updateCurrentUser: UpdateCurrentUser;
  readonly enrolTotp: EnrolTotp;
  readonly confirmTotp: ConfirmTotp;
  readonly disableTotp: DisableTotp;
  readonly listMyEvents: ListMyEvents;
  readonly requestVerification: RequestVerification;
  readonly verifyEmail: VerifyEmail;
  readonly requestPasswordReset: RequestPasswordReset;
  readonly resetPassword: ResetPassword;
  readonly revertEmail: RevertEmail;
  readonly requireVerifiedEmail: boolean;
  /** Present only in development with the development outbox on a loopback listener; otherwise `/dev/mail` is a 404. */
  readonly devMailbox?: DevMailbox | undefined;
  /** Passkey and social log-in buttons, filled by those features. */
  readonly logInAlternatives?: LogInAlternatives;
  /** Passkeys, when on: `/login/passkey` and the account page's passkey section. */
  readonly passkeys?: Passkeys | undefined;
}

export interface PagesMountOptions {
  /** Reads form bodies (the service's parser with its size limit). */
  readonly bodyParser: Middleware;
  /** Counts each form post against the client's request budget, as API requests are. */
  readonly rateLimit?: Middleware | undefined;
}

type Handler = (ctx: Context, deps: PagesDependencies) => Promise<void>;

/** `/account` and the flows around it need someone logged in. */
interface SignedIn {
  readonly user: User;
  readonly session: Session;
}

const EVENTS_PAGE = 20;
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Adds the pages to the service's one router: GET shows, POST acts and redirects (POST-redirect-GET). */
export function mountPages(router: Router, deps: PagesDependencies, options: PagesMountOptions): void {
  const frame: Middleware = async (ctx, next) => {
    setPageHeaders(ctx);
    await next();
  };
  const session = browserSession(deps.sessions);
  const csrf: Middleware = async (ctx, next) => {
    // Only the form encoding a browser sends without script; anything else is no form of ours.
    const fields = ctx.request.is(FORM_TYPE) ? formFields(ctx) : {};
    if (!(await deps.sessions.admits(ctx, fields.csrf_token))) return renderCsrfRefusal(ctx, pageContext(ctx, deps.sessions, deps.assets));
    await next();
  };
  const get = (path: string, handle: Handler) => router.register(path, ['GET'], [frame, session, (ctx) => handle(ctx, deps)], { name: `page:${path}` });
  const post = (path: string, handle: Handler) =>
    router.register(path, ['POST'], [...(options.rateLimit ? [options.rateLimit] : []), frame, session, formOnly(options.bodyParser), csrf, (ctx) => handle(ctx, deps)], {
      name: `page:${path}`,
    });

  router.register(`${ASSET_PREFIX}:file`, ['GET'], [(ctx, next) => serveAsset(ctx, next, deps.assets)], { name: 'page:assets' });
  get('/', async (ctx) => redirect(ctx, ctx.state.auth ? '/account' : '/login'));
  get('/login', showLogIn);
  post('/login', logIn);
  get('/login/code', showLogInCode);
  post('/login/code', logInCode);
  get('/register', showRegister);
  post('/register', register);
  get('/forgot-password', showForgotPassword);
  post('/forgot-password', forgotPassword);
  get('/reset-password', showResetPassword);
  post('/reset-password', resetPassword);
  get('/verify-email', async (ctx) => showEmailLink(ctx, deps, 'verify'));
  post('/verify-email', verifyEmail);
  get('/revert-email', async (ctx) => showEmailLink(ctx, deps, 'revert'));
  post('/revert-email', revertEmail);
  get('/logout', async (ctx) => render(ctx, <LogOutPage page={pageContext(ctx, deps.sessions, deps.assets)} />));
  post('/logout', logOut);
  get('/account', signedIn(showAccount));
  post('/account/profile', signedIn(changeUsername));
  post('/account/email', signedIn(changeEmail));
  post('/account/password', signedIn(changePassword));
  post('/account/verification', signedIn(resendVerification));
  post('/account/two-factor', signedIn(startTwoFactor));
  post('/account/two-factor/confirm', signedIn(confirmTwoFactor));
  post('/account/two-factor/disable', signedIn(disableTwoFactor));
  post('/account/sessions/:id/end', signedIn(endSession));
  if (deps.passkeys?.enabled) {
    // JSON from the page's script (an assertion is no form field); the CSRF token comes in X-CSRF-Token.
    router.register('/login/passkey', ['POST'], [...(options.rateLimit ? [options.rateLimit] : []), frame, session, jsonOnly(options.bodyParser), (ctx) => logInWithPasskey(ctx, deps)], {
      name: 'page:/login/passkey',
    });
    // Without script the add form lands here: a passkey needs the browser's WebAuthn, so back to the section.
    post('/account/passkeys/add', signedIn(async (ctx) => redirect(ctx, '/account#passkeys')));
    post('/account/passkeys/:id/rename', signedIn(renamePasskey));
    post('/account/passkeys/:id/remove', signedIn(removePasskey));
  }
  router.register('/dev/mail', ['GET'], [(ctx, next) => (deps.devMailbox?.admits(ctx) ? next() : undefined), frame, session, (ctx) => showDevMail(ctx, deps)], {
    name: 'page:dev-mail',
  });
}

function jsonOnly(bodyParser: Middleware): Middleware {
  return (ctx, next) => (ctx.request.is('application/json') ? bodyParser(ctx, next) : next());
}

function formOnly(bodyParser: Middleware): Middleware {
  return (ctx, next) => (ctx.request.is(FORM_TYPE) ? bodyParser(ctx, next) : next());
}

async function serveAsset(ctx: Context, next: () => Promise<unknown>, assets: PageAssets): Promise<void> {
  const asset = assets.byPath(ctx.path);
  if (!asset) return void (await next());
  ctx.type = asset.type;
  // The name changes with the content, so a copy never goes stale.
  ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
  ctx.body = asset.body;
}

function signedIn(handle: (ctx: Context, deps: PagesDependencies, auth: SignedIn) => Promise<void>): Handler {
  return async (ctx, deps) => {
    const auth = ctx.state.auth as SignedIn | undefined;
    if (!auth) return redirect(ctx, ctx.method === 'GET' ? `/login?return_to=${encodeURIComponent(ctx.originalUrl)}` : '/login?done=session-expired');
    await handle(ctx, deps, auth);
  };
}

const page = (ctx: Context, deps: PagesDependencies) => pageContext(ctx, deps.sessions, deps.assets);
const returnToOf = (ctx: Context, fields?: Readonly<Record<string, string>>) =>
  safeReturnTo(fields?.return_to ?? (typeof ctx.query.return_to === 'string' ? ctx.query.return_to : undefined));
const withReturnTo = (path: string, returnTo: string | undefined) => (returnTo ? `${path}?return_to=${encodeURIComponent(returnTo)}` : path);
const done = (path: string, notice: NoticeKey, anchor = '') => `${path}?done=${notice}${anchor}`;

function missing(fields: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): FieldErrors | undefined {
  const errors: Record<string, string> = {};
  for (const [name, label] of Object.entries(labels)) if (!fields[name]?.trim()) errors[name] = `Enter your ${label.toLowerCase()}`;
  return Object.keys(errors).length > 0 ? errors : undefined;
}

/** Opens the browser session for a log-in that just succeeded and goes on. */
async function startBrowserSession(ctx: Context, deps: PagesDependencies, tokens: SessionTokens, returnTo: string | undefined): Promise<void> {
  const { session } = await deps.authenticateUser.execute(tokens.accessToken.token);
  deps.sessions.start(ctx, session.id, session.expiresAt, deps.clock.now());
  redirect(ctx, returnTo ?? '/account');
}

// ---- Log-in ----------------------------------------------------------------------------------------------------

async function showLogIn(ctx: Context, deps: PagesDependencies): Promise<void> {
  const returnTo = returnToOf(ctx);
  if (ctx.state.auth) return redirect(ctx, returnTo ?? '/account');
  render(ctx, <LogInPage page={page(ctx, deps)} notice={noticeFrom(ctx)} returnTo={returnTo} alternatives={deps.logInAlternatives} />);
}

async function logIn(ctx: Context, deps: PagesDependencies): Promise<void> {
  const fields = formFields(ctx);
  const returnTo = returnToOf(ctx, fields);
  const show = (errors: FieldErrors, status: number) =>
    render(ctx, <LogInPage page={page(ctx, deps)} login={fields.login} errors={errors} returnTo={returnTo} alternatives={deps.logInAlternatives} />, status);
  const absent = missing(fields, { login: 'Username or email', password: 'Password' });
  if (absent) return show(absent, 400);
  try {
    const { tokens } = await deps.logIn.execute({ login: fields.login!, password: fields.password!, origin: requestOrigin(ctx) });
    await startBrowserSession(ctx, deps, tokens, returnTo);
  } catch (error) {
    if (error instanceof MfaRequired) {
      deps.sessions.setPendingLogIn(ctx, error.mfaToken, error.expiresIn);
      return redirect(ctx, withReturnTo('/login/code', returnTo));
    }
    if (error instanceof InvalidCredentials) return show({ password: 'The username or email and this password do not match an account' }, 401);
    if (error instanceof TooManyLoginAttempts) return show({ form: 'Too many failed log-ins for this account: wait a few minutes, or reset your password' }, 429);
    if (isDomainError(error)) return show(fieldErrors(error), 403);
    throw error;
  }
}

async function showLogInCode(ctx: Context, deps: PagesDependencies): Promise<void> {
  if (!deps.sessions.pendingLogIn(ctx)) return redirect(ctx, withReturnTo('/login', returnToOf(ctx)));
  render(ctx, <LogInCodePage page={page(ctx, deps)} returnTo={returnToOf(ctx)} />);
}

async function logInCode(ctx: Context, deps: PagesDependencies): Promise<void> {
  const fields = formFields(ctx);
  const returnTo = returnToOf(ctx, fields);
  const mfaToken = deps.sessions.pendingLogIn(ctx);
  if (!mfaToken) return redirect(ctx, withReturnTo('/login', returnTo));
  const show = (errors: FieldErrors, status: number) => render(ctx, <LogInCodePage page={page(ctx, deps)} errors={errors} returnTo={returnTo} />, status);
  const absent = missing(fields, { code: 'Code' });
  if (absent) return show(absent, 400);
  try {
    const { tokens } = await deps.completeMfaLogIn.execute({ mfaToken, code: fields.code!.replace(/\s+/g, ''), origin: requestOrigin(ctx) });
    deps.sessions.clearPendingLogIn(ctx);
    await startBrowserSession(ctx, deps, tokens, returnTo);
  } catch (error) {
    if (error instanceof InvalidMfaLogIn) return show({ code: 'This code is wrong or was already used. Try the next code, or start the log-in again' }, 401);
    if (error instanceof TooManyLoginAttempts) return show({ form: 'Too many failed log-ins for this account: wait a few minutes' }, 429);
    if (isDomainError(error)) return show(fieldErrors(error), 403);
    throw error;
  }
}

/**
 * The log-in page's passkey: the same use case as `POST /api/v1/auth/passkey/login`, ending with the browser
 * session cookie instead of tokens. Answers JSON to the page's script: where to go, or a message to show.
 */
async function logInWithPasskey(ctx: Context, deps: PagesDependencies): Promise<void> {
  const body = ((ctx.request as { body?: unknown }).body ?? {}) as { challenge_id?: unknown; response?: unknown; return_to?: unknown };
  const answer = (status: number, json: Record<string, string>) => {
    ctx.status = status;
    ctx.body = json;
  };
  if (!(await deps.sessions.admits(ctx, ctx.get('X-CSRF-Token') || undefined))) return answer(403, { message: 'This page is too old: open it again' });
  const response = body.response as { id?: unknown } | undefined;
  if (typeof body.challenge_id !== 'string' || typeof response?.id !== 'string') return answer(400, { message: 'That passkey did not log you in' });
  try {
    const { tokens } = await deps.passkeys!.logIn.execute({ challengeId: body.challenge_id, response: response as { id: string }, origin: requestOrigin(ctx) });
    const { session } = await deps.authenticateUser.execute(tokens.accessToken.token);
    deps.sessions.start(ctx, session.id, session.expiresAt, deps.clock.now());
    answer(200, { location: safeReturnTo(typeof body.return_to === 'string' ? body.return_to : undefined) ?? '/account' });
  } catch (error) {
    if (error instanceof InvalidPasskeyLogIn) return answer(400, { message: 'That passkey did not log you in: it is unknown here, or the attempt expired. Try again' });
    if (isDomainError(error)) return answer(403, { message: error.message });
    throw error;
  }
}

async function logOut(ctx: Context, deps: PagesDependencies): Promise<void> {
  const auth = ctx.state.auth as SignedIn | undefined;
  if (auth) await deps.logOut.execute(auth.user, auth.session.id, 'current');
  deps.sessions.end(ctx);
  redirect(ctx, done('/login', 'logged-out'));
}

// ---- Registration and mailed links ----------------------------------------------------------------------------

async function showRegister(ctx: Context, deps: PagesDependencies): Promise<void> {
  if (ctx.state.auth) return redirect(ctx, '/account');
  render(ctx, <RegisterPage page={page(ctx, deps)} />);
}

async function register(ctx: Context, deps: PagesDependencies): Promise<void> {
  const fields = formFields(ctx);
  const values = { email: fields.email, username: fields.username };
  const show = (errors: FieldErrors, status: number) => render(ctx, <RegisterPage page={page(ctx, deps)} values={values} errors={errors} />, status);
  const absent = missing(fields, { email: 'Email', username: 'Username', password: 'Password' });
  if (absent) return show(absent, 400);
  const next = done('/login', deps.requireVerifiedEmail ? 'registered-verify' : 'registered');
  try {
    await deps.registerUser.execute({ email: fields.email!, username: fields.username!, password: fields.password!, client: ctx.ip });
    redirect(ctx, next);
  } catch (error) {
    // As the API does: with REQUIRE_VERIFIED_EMAIL a taken address is answered as a new one (its owner is mailed).
    if (error instanceof EmailTaken && deps.requireVerifiedEmail) return redirect(ctx, next);
    if (isDomainError(error)) return show(fieldErrors(error), error instanceof EmailTaken ? 409 : 400);
    throw error;
  }
}

async function showForgotPassword(ctx: Context, deps: PagesDependencies): Promise<void> {
  render(ctx, <ForgotPasswordPage page={page(ctx, deps)} notice={noticeFrom(ctx)} />);
}

async function forgotPassword(ctx: Context, deps: PagesDependencies): Promise<void> {
  const fields = formFields(ctx);
  const show = (errors: FieldErrors) => render(ctx, <ForgotPasswordPage page={page(ctx, deps)} email={fields.email} errors={errors} />, 400);
  const absent = missing(fields, { email: 'Email' });
  if (absent) return show(absent);
  try {
    await deps.requestPasswordReset.execute({ email: fields.email!, client: ctx.ip });
    redirect(ctx, done('/forgot-password', 'reset-sent'));
  } catch (error) {
    if (isDomainError(error)) return show(fieldErrors(error));
    throw error;
  }
}

const tokenOf = (ctx: Context) => (typeof ctx.query.token === 'string' && /^[A-Za-z0-9_-]{1,200}$/.test(ctx.query.token) ? ctx.query.token : '');
const LINK_EXPIRED = 'This link is not valid any more: it was used, replaced by a newer one, or it expired';

async function showResetPassword(ctx: Context, deps: PagesDependencies): Promise<void> {
  render(ctx, <ResetPasswordPage page={page(ctx, deps)} token={tokenOf(ctx)} />);
}

async function resetPassword(ctx: Context, deps: PagesDependencies): Promise<void> {
  const fields = formFields(ctx);
  const token = fields.token ?? '';
  const show = (errors: FieldErrors) => render(ctx, <ResetPasswordPage page={page(ctx, deps)} token={token} errors={errors} />, 400);
  const absent = missing(fields, { password: 'New password' });
  if (absent) return show(absent);
  try {
    await deps.resetPassword.execute({ token, password: fields.password! });
    // Every session ended with the reset, this browser's too.
    deps.sessions.end(ctx);
    redirect(ctx, done('/login', 'password-reset'));
  } catch (error) {
    if (error instanceof InvalidOneTimeToken) return show({ form: `${LINK_EXPIRED}. Ask for a new one under "Forgot your password?"` });
    if (isDomainError(error)) return show(fieldErrors(error));
    throw error;
  }
}

async function showEmailLink(ctx: Context, deps: PagesDependencies, kind: 'verify' | 'revert'): Promise<void> {
  render(ctx, <EmailLinkPage page={page(ctx, deps)} kind={kind} token={tokenOf(ctx)} />);
}

async function verifyEmail(ctx: Context, deps: PagesDependencies): Promise<void> {
  const token = formFields(ctx).token ?? '';
  try {
    await deps.verifyEmail.execute(token);
    redirect(ctx, done(ctx.state.auth ? '/account' : '/login', 'verified'));
  } catch (error) {
    if (isDomainError(error)) {
      const errors = error instanceof InvalidOneTimeToken ? { form: LINK_EXPIRED } : fieldErrors(error);
      return render(ctx, <EmailLinkPage page={page(ctx, deps)} kind="verify" token={token} errors={errors} />, 400);
    }
    throw error;
  }
}

async function revertEmail(ctx: Context, deps: PagesDependencies): Promise<void> {
  const token = formFields(ctx).token ?? '';
  try {
    await deps.revertEmail.execute(token);
    redirect(ctx, done('/login', 'reverted'));
  } catch (error) {
    if (isDomainError(error)) {
      const errors = error instanceof InvalidOneTimeToken ? { form: LINK_EXPIRED } : fieldErrors(error);
      return render(ctx, <EmailLinkPage page={page(ctx, deps)} kind="revert" token={token} errors={errors} />, 400);
    }
    throw error;
  }
}

// ---- Account -----------------------------------------------------------------------------------------------------

async function showAccount(ctx: Context, deps: PagesDependencies, auth: SignedIn, failed?: Parameters<typeof AccountPage>[0]['failed'], status = 200): Promise<void> {
  const cursor = typeof ctx.query.events === 'string' ? ctx.query.events : undefined;
  const [sessions, events, passkeys] = await Promise.all([
    deps.listSessions.execute(auth.user),
    deps.listMyEvents.execute(auth.user, { limit: EVENTS_PAGE, cursor }).catch((error: unknown) => {
      // A cursor someone edited by hand: show the first page.
      if (error instanceof InvalidCursor) return deps.listMyEvents.execute(auth.user, { limit: EVENTS_PAGE });
      throw error;
    }),
    deps.passkeys?.enabled ? deps.passkeys.list.execute(auth.user.id) : Promise.resolve(undefined),
  ]);
  const context = { ...page(ctx, deps), user: auth.user };
  render(
    ctx,
    <AccountPage
      page={context}
      sessions={sessions}
      currentSessionId={auth.session.id}
      events={events.items}
      olderEvents={events.nextCursor}
      passkeys={passkeys}
      notice={noticeFrom(ctx)}
      failed={failed}
    />,
    status,
  );
}

/**
 * Runs one account change; a domain error shows the account again with the errors on that form. The one place a
 * fresh-authentication refusal (RFC 9470, `insufficient_user_authentication`) will turn into the "confirm it is
 * you" step.
 */
async function accountChange(
  ctx: Context,
  deps: PagesDependencies,
  auth: SignedIn,
  form: AccountForm,
  change: () => Promise<void>,
  values: Readonly<Record<string, string>> = {},
): Promise<void> {
  try {
    await change();
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const errors = (error.code as string) === 'insufficient_user_authentication' ? { current_password: 'Confirm it is you: enter your current password' } : fieldErrors(error);
    await showAccount(ctx, deps, auth, { form, errors, values }, error instanceof TooManyLoginAttempts ? 429 : 400);
  }
}

async function changeUsername(ctx: Context, deps: PagesDependencies, auth: SignedIn): Promise<void> {
  const fields = formFields(ctx);
  await accountChange(
    ctx,
    deps,
    auth,
    'profile',
    async () => {
      await deps.updateCurrentUser.execute(auth, { username: fields.username ?? '' }, requestOrigin(ctx));
      redirect(ctx, done('/account', 'profile-saved', '#profile'));
    },
    { username: fields.username ?? '' },
  );
}

async function changeEmail(ctx: Context, deps: PagesDependencies, auth: SignedIn): Promise<void> {
  const fields = formFields(ctx);
  await accountChange(
    ctx,
    deps,
    auth,
    'email',
    async () => {
      await deps.updateCurrentUser.execute(auth, { email: fields.email ?? '' }, requestOrigin(ctx));
      redirect(ctx, done('/account', deps.requireVerifiedEmail ? 'email-confirm-sent' : 'email-changed', '#email'));
    },
    { email: fields.email ?? '' },
  );
}

async function changePassword(ctx: Context, deps: PagesDependencies, auth: SignedIn): Promise<void> {
  const fields = formFields(ctx);
  const absent = missing(fields, { current_password: 'Current password', password: 'New password' });
  if (absent) return showAccount(ctx, deps, auth, { form: 'password', errors: absent }, 400);
  await accountChange(ctx, deps, auth, 'password', async () => {
    await deps.updateCurrentUser.execute(auth, { password: fields.password!, currentPassword: emptyToUndefined(fields.current_password) }, requestOrigin(ctx));
    // A password change ends every session of the account, this one included.
    deps.sessions.end(ctx);
    redirect(ctx, done('/login', 'password-changed'));
  });
}

async function resendVerification(ctx: Context, deps: PagesDependencies, auth: SignedIn): Promise<void> {
  await accountChange(ctx, deps, auth, 'verification', async () => {
    await deps.requestVerification.execute({ email: auth.user.email.value, client: ctx.ip });
    redirect(ctx, done('/account', 'verification-sent', '#profile'));
  });
}

async function twoFactorSetup(otpauthUri: string): Promise<{ secret: string; qrSvg: string }> {
  const secret = new URL(otpauthUri).searchParams.get('secret') ?? '';
  // Drawn here as SVG markup placed in the page: no script, no image request, nothing for a CSP to allow.
  const qrSvg = await QRCode.toString(otpauthUri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return { secret, qrSvg };
}

async function startTwoFactor(ctx: Context, deps: PagesDependencies, auth: SignedIn): Promise<void> {
  const fields = formFields(ctx);
  const absent = missing(fields, { current_password: 'Current password' });
  if (absent) return showAccount(ctx, deps, auth, { form: 'two-factor-on', errors: absent }, 400);
  await accountChange(ctx, deps, auth, 'two-factor-on', async () => {
    const enrolment = await deps.enrolTotp.execute(auth, passwordProof(emptyToUndefined(fields.current_password)), requestOrigin(ctx));
    const { secret, qrSvg } = await twoFactorSetup(enrolment.otpauthUri);
    render(ctx, <TwoFactorSetupPage page={{ ...page(ctx, deps), user: auth.user }} secret={secret} otpauthUri={enrolment.otpauthUri} qrSvg={qrSvg} />);
  });
}

async function confirmTwoFactor(ctx: Context, deps: PagesDependencies, auth: SignedIn): Promise<void> {
  const fields = formFields(ctx);
  const uri = fields.otpauth_uri ?? '';
  const showSetup = async (errors: FieldErrors) => {
    // Only to draw the same QR code again; the secret that counts is the one the server keeps.
    if (!uri.startsWith('otpauth://totp/')) return redirect(ctx, '/account#two-factor');
    const { secret, qrSvg } = await twoFactorSetup(uri);
    render(ctx, <TwoFactorSetupPage page={{ ...page(ctx, deps), user: auth.user }} secret={secret} otpauthUri={uri} qrSvg={qrSvg} errors={errors} />, 400);
  };
  const absent = missing(fields, { code: 'Code from the app' });
  if (absent) return showSetup(absent);
  try {
    const { recoveryCodes } = await deps.confirmTotp.execute(auth.user, fields.code!.replace(/\s+/g, ''), requestOrigin(ctx));
    render(ctx, <RecoveryCodesPage page={{ ...page(ctx, deps), user: auth.user }} codes={recoveryCodes} />);
  } catch (error) {
    if (error instanceof InvalidOtp) return showSetup({ code: 'This code is wrong: enter the code the app shows now' });
    if (isDomainError(error)) return showAccount(ctx, deps, auth, { form: 'two-factor-on', errors: fieldErrors(error) }, 400);
    throw error;
  }
}

async function disableTwoFactor(ctx: Context, deps: PagesDependencies, auth: SignedIn): Promise<void> {
  const fields = formFields(ctx);
  const absent = missing(fields, { current_password: 'Current password', code: 'Code' });
  if (absent) return showAccount(ctx, deps, auth, { form: 'two-factor-off', errors: absent }, 400);
  await accountChange(ctx, deps, auth, 'two-factor-off', async () => {
    await deps.disableTotp.execute(auth, { proof: passwordProof(emptyToUndefined(fields.current_password), fields.code?.replace(/\s+/g, '')), origin: requestOrigin(ctx) });
    redirect(ctx, done('/account', 'two-factor-off', '#two-factor'));
  });
}

async function endSession(ctx: Context, deps: PagesDependencies, auth: SignedIn): Promise<void> {
  const id = String(ctx.params.id ?? '');
  if (!/^[0-9a-f-]{36}$/.test(id)) return redirect(ctx, '/account#sessions');
  await accountChange(ctx, deps, auth, 'profile', async () => {
    await deps.endSession.execute(auth.user, id);
    if (id === auth.session.id) {
      deps.sessions.end(ctx);
      return redirect(ctx, done('/login', 'logged-out'));
    }
    redirect(ctx, done('/account', 'session-ended', '#sessions'));
  });
}

const passkeyIdOf = (ctx: Context) => {
  const id = String(ctx.params.id ?? '');
  return /^[A-Za-z0-9_-]{1,1364}$/.test(id) ? id : undefined;
};

async function renamePasskey(ctx: Context, deps: PagesDependencies, auth: SignedIn): Promise<void> {
  const fields = formFields(ctx);
  const id = passkeyIdOf(ctx);
  if (!id) return redirect(ctx, '/account#passkeys');
  const absent = missing(fields, { name: 'Name' });
  if (absent) return showAccount(ctx, deps, auth, { form: 'passkeys', errors: absent }, 400);
  await accountChange(ctx, deps, auth, 'passkeys', async () => {
    await deps.passkeys!.rename.execute(auth.user.id, id, fields.name!.trim());
    redirect(ctx, done('/account', 'passkey-renamed', '#passkeys'));
  });
}

async function removePasskey(ctx: Context, deps: PagesDependencies, auth: SignedIn): Promise<void> {
  const fields = formFields(ctx);
  const id = passkeyIdOf(ctx);
  if (!id) return redirect(ctx, '/account#passkeys');
  await accountChange(ctx, deps, auth, 'passkeys', async () => {
    // A stale session confirms with the current password (and code) first; a fresh one needs nothing more.
    const proof = passwordProof(emptyToUndefined(fields.current_password), emptyToUndefined(fields.code?.replace(/\s+/g, '')));
    try {
      await deps.passkeys!.remove.execute(auth, id, requestOrigin(ctx), proof);
    } catch (error) {
      if (!(error instanceof PasskeyNotFound)) throw error;
    }
    redirect(ctx, done('/account', 'passkey-removed', '#passkeys'));
  });
}

// ---- Development -----------------------------------------------------------------------------------------------

async function showDevMail(ctx: Context, deps: PagesDependencies): Promise<void> {
  render(ctx, <DevMailPage page={page(ctx, deps)} mails={await deps.devMailbox!.list()} />);
}

/** An empty password field means "not given": a fresh session may be enough (Reauthentication). */
function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
