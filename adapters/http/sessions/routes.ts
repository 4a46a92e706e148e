import { z } from 'zod';
import { requestOrigin } from '../request-origin.js';
import { SessionListResponse } from '../schemas.js';
import { InvalidTokenRequest, UnsupportedGrantType } from '../../../domain/index.js';
import { LoginRequest, LogoutQuery, ReauthenticateRequest, RefreshRequest } from './schemas.js';
import { counted, tokenAnswer, tokenReply } from '../token-reply.js';
import { presentSession } from '../user-presenter.js';
import { defineApiRoute } from '../routes/api-dependencies.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

export const authRoutes = [
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
    body: { schema: ReauthenticateRequest, mediaTypes: ['application/json'] },
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

/** The current user's own sessions: listed and ended one by one. */
export const sessionListRoutes = [
  defineApiRoute({
    method: 'get',
    path: '/users/me/sessions',
    operationId: 'listSessions',
    tag: 'users',
    summary: "The current user's open sessions, newest first",
    bearer: true,
    rateLimited: true,
    noStore: true,
    responses: { 200: { description: 'Open sessions', content: { [JSON_TYPE]: SessionListResponse } } },
    handle: async ({ auth }, { listSessions }) => {
      const sessions = await listSessions.execute(auth.user);
      return { status: 200, body: sessions.map((session) => presentSession(session, auth.session.id)) };
    },
  }),

  defineApiRoute({
    method: 'delete',
    path: '/users/me/sessions/{id}',
    operationId: 'endSession',
    tag: 'users',
    summary: 'End one session of the current user',
    bearer: true,
    rateLimited: true,
    params: z.object({ id: z.uuid().max(36).meta({ description: 'The session id, from GET /users/me/sessions' }) }),
    responses: { 204: { description: 'The session is ended' } },
    errors: ['session_not_found'],
    handle: async ({ params, auth }, { endSession }) => {
      await endSession.execute(auth.user, params.id);
      return { status: 204 };
    },
  }),
];
