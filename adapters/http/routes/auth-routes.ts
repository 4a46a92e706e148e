import type { SessionTokens } from '../../../application/use-cases/issue-tokens.js';
import { EmailTaken, InvalidTokenRequest, UnsupportedGrantType } from '../../../domain/index.js';
import { API_PREFIX } from '../api-prefix.js';
import { logInOutcome, type HttpMetrics } from '../http-metrics.js';
import { requestOrigin } from '../request-origin.js';
import {
  AcceptedResponse,
  LoginRequest,
  LogoutQuery,
  ReauthenticateRequest,
  RefreshRequest,
  RegisterRequest,
  TokenResponse,
  UserResponse,
  type AcceptedResponse as AcceptedBody,
  type TokenResponse as TokenBody,
} from '../schemas.js';
import { presentUser } from '../user-presenter.js';
import { defineApiRoute } from './api-dependencies.js';
import type { Reply } from './define-route.js';

export const CURRENT_USER_PATH = `${API_PREFIX}/users/me`;

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

const REGISTRATION_ACCEPTED: AcceptedBody = { detail: 'Follow the link mailed to the address to finish registering' };

export const tokenAnswer = {
  description: 'An access token and the refresh token that renews it',
  content: { [JSON_TYPE]: TokenResponse },
  // RFC 6749 §5.1: responses carrying tokens must not be cached; Pragma for HTTP/1.0 caches.
  headers: ['Pragma'],
} as const;

export const authRoutes = [
  defineApiRoute({
    method: 'post',
    path: '/auth/register',
    operationId: 'registerUser',
    tag: 'auth',
    summary: 'Register a new user',
    bearer: false,
    rateLimited: true,
    noStore: true,
    body: { schema: RegisterRequest, mediaTypes: [JSON_TYPE] },
    description:
      'A verification link is mailed to the address. With REQUIRE_VERIFIED_EMAIL the answer is `202` with no user, for a new and a taken email alike (the owner of a taken one is mailed a notice), and `409` only for a taken username.',
    responses: {
      201: { description: 'The user was created', content: { [JSON_TYPE]: UserResponse }, headers: ['Location'] },
      202: { description: 'REQUIRE_VERIFIED_EMAIL: the account waits for its verification link, or the email was taken', content: { [JSON_TYPE]: AcceptedResponse } },
    },
    errors: ['invalid_email', 'invalid_username', 'weak_password', 'email_taken', 'username_taken'],
    handle: async ({ body, ctx }, { registerUser, requireVerifiedEmail }) => {
      try {
        const user = await registerUser.execute({ ...body, client: ctx.ip });
        if (requireVerifiedEmail) return { status: 202, body: REGISTRATION_ACCEPTED };
        return { status: 201, body: presentUser(user), headers: { Location: CURRENT_USER_PATH } };
      } catch (error) {
        // The use case has mailed the owner; answering as for a new address keeps accounts from being enumerated.
        if (requireVerifiedEmail && error instanceof EmailTaken) return { status: 202, body: REGISTRATION_ACCEPTED };
        throw error;
      }
    },
  }),

  // OAuth2 password grant (RFC 6749 §4.3) as the FastAPI template takes it: form fields, or the same as JSON.
  defineApiRoute({
    method: 'post',
    path: '/auth/login',
    operationId: 'logIn',
    tag: 'auth',
    summary: 'Log in with the OAuth2 password grant',
    description:
      'Form fields as RFC 6749 §4.3 has them, or the same fields as JSON. `username` may be the username or the email. For an account with two-factor log-in on, a right password answers 403 `mfa_required` with an `mfa_token` for POST /auth/login/mfa.',
    bearer: false,
    rateLimited: true,
    noStore: true,
    body: { schema: LoginRequest, mediaTypes: [FORM, JSON_TYPE] },
    responses: { 200: tokenAnswer },
    errors: ['invalid_credentials', 'inactive_user', 'email_not_verified', 'mfa_required', 'too_many_login_attempts', 'unsupported_grant_type'],
    handle: async ({ body, ctx }, { logIn, metrics }) => {
      // RFC 6749 §5.2: OAuth clients read `unsupported_grant_type` (client_credentials sent here by mistake).
      if (body.grant_type !== undefined && body.grant_type !== 'password') throw new UnsupportedGrantType(body.grant_type);
      const origin = requestOrigin(ctx);
      const { tokens } = await counted(metrics, logIn.execute({ login: body.username, password: body.password, origin }));
      return tokenReply(tokens);
    },
  }),

  // RFC 6749 §6: the refresh grant, rotating the refresh token on every use.
  defineApiRoute({
    method: 'post',
    path: '/auth/refresh',
    operationId: 'refreshSession',
    tag: 'auth',
    summary: 'Trade a refresh token for a new pair (RFC 6749 §6)',
    description:
      'The refresh token is single use: the answer carries its successor. Presenting a refresh token that was already used ends the whole session, for whoever holds its tokens.',
    bearer: false,
    rateLimited: true,
    noStore: true,
    body: { schema: RefreshRequest, mediaTypes: [FORM, JSON_TYPE] },
    responses: { 200: tokenAnswer },
    errors: ['invalid_refresh_token', 'invalid_request', 'unsupported_grant_type'],
    handle: async ({ body }, { refreshSession }) => {
      // RFC 6749 §5.2 and §6: grant_type is required here, and `refresh_token` is the one this endpoint serves.
      if (body.grant_type === undefined) throw new InvalidTokenRequest('grant_type is required: refresh_token', 'grant_type');
      if (body.grant_type !== 'refresh_token') throw new UnsupportedGrantType(body.grant_type);
      return tokenReply(await refreshSession.execute(body.refresh_token));
    },
  }),

  // RFC 9470 step-up, as Supabase Auth's /reauthenticate: the sensitive actions of the next REAUTH_MAX_AGE_SECONDS
  // need no credentials of their own.
  defineApiRoute({
    method: 'post',
    path: '/auth/reauthenticate',
    operationId: 'reauthenticate',
    tag: 'auth',
    summary: 'Prove the credentials again: the session is fresh for REAUTH_MAX_AGE_SECONDS',
    description:
      "The answer to a 401 `insufficient_user_authentication`: the password, plus a code (TOTP or recovery) when two-factor log-in is on. The current session's `auth_time` becomes now; access tokens issued from then on carry it. Failures count like log-in failures; wrong codes also towards MFA_MAX_CONSECUTIVE_FAILURES.",
    bearer: true,
    rateLimited: true,
    noStore: true,
    body: { schema: ReauthenticateRequest, mediaTypes: [JSON_TYPE] },
    responses: { 204: { description: 'The session is fresh' } },
    errors: ['wrong_current_password', 'code_required', 'invalid_reauthentication_code', 'mfa_locked', 'too_many_login_attempts'],
    handle: async ({ body, auth, ctx }, { reauthenticate }) => {
      await reauthenticate.execute(auth, { kind: 'password', password: body.password, code: body.code }, requestOrigin(ctx));
      return { status: 204 };
    },
  }),

  defineApiRoute({
    method: 'post',
    path: '/auth/logout',
    operationId: 'logOut',
    tag: 'auth',
    summary: 'End the current session, or every session of the user',
    description: 'The access and refresh tokens of the ended sessions are refused at once, on every instance.',
    bearer: true,
    rateLimited: true,
    query: LogoutQuery,
    responses: { 204: { description: 'Logged out' } },
    handle: async ({ query, auth }, { logOut }) => {
      await logOut.execute(auth.user, auth.session.id, query.scope ?? 'current');
      return { status: 204 };
    },
  }),
];

export function tokenReply(tokens: SessionTokens): Reply<200> {
  const body: TokenBody = {
    access_token: tokens.accessToken.token,
    token_type: 'bearer',
    expires_in: tokens.accessToken.expiresIn,
    refresh_token: tokens.refreshToken,
    refresh_expires_in: tokens.refreshExpiresIn,
  };
  return { status: 200, body, headers: { Pragma: 'no-cache' } };
}

/**
 * Log-ins are counted here rather than in a decorator around `LogIn`: the route already sees every outcome as
 * the use case's result or its typed error, and `LogIn` is a class, so a decorator would have to pose as one.
 */
export async function counted<T>(metrics: Pick<HttpMetrics, 'countLogIn'> | undefined, attempt: Promise<T>): Promise<T> {
  try {
    const result = await attempt;
    metrics?.countLogIn('success');
    return result;
  } catch (error) {
    metrics?.countLogIn(logInOutcome(error));
    throw error;
  }
}
