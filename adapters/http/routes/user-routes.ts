import { z } from 'zod';
import { SessionListResponse, UpdateUserRequest, UserResponse } from '../schemas.js';
import { requestOrigin } from '../request-origin.js';
import { presentSession, presentUser } from '../user-presenter.js';
import { defineApiRoute } from './api-dependencies.js';

const JSON_TYPE = 'application/json';

// PATCH is the verb fastapi-users clients send; both take any subset of the fields, so they share one declaration.
function updateCurrentUser(method: 'put' | 'patch', operationId: string) {
  return defineApiRoute({
    method,
    path: '/users/me',
    operationId,
    tag: 'users',
    summary: 'Change the email, username or password',
    description:
      'An email or password change needs fresh authentication: `current_password` (and `code` when two-factor log-in is on), or a session authenticated within REAUTH_MAX_AGE_SECONDS (see POST /auth/reauthenticate); otherwise 401 with an RFC 9470 `insufficient_user_authentication` challenge. A password change refuses every token issued before it.',
    bearer: true,
    rateLimited: true,
    noStore: true,
    body: { schema: UpdateUserRequest, mediaTypes: [JSON_TYPE] },
    responses: { 200: { description: 'The updated user', content: { [JSON_TYPE]: UserResponse } } },
    errors: [
      'invalid_email',
      'invalid_username',
      'weak_password',
      'insufficient_user_authentication',
      'wrong_current_password',
      'code_required',
      'invalid_reauthentication_code',
      'mfa_locked',
      'too_many_login_attempts',
      'email_taken',
      'username_taken',
    ],
    handle: async ({ body, auth, ctx }, { updateCurrentUser: update }) => {
      const user = await update.execute(
        auth,
        { email: body.email, username: body.username, password: body.password, currentPassword: body.current_password, code: body.code },
        requestOrigin(ctx),
      );
      return { status: 200, body: presentUser(user) };
    },
  });
}

export const userRoutes = [
  defineApiRoute({
    method: 'get',
    path: '/users/me',
    operationId: 'getCurrentUser',
    tag: 'users',
    summary: 'The user the token belongs to',
    bearer: true,
    rateLimited: true,
    noStore: true,
    responses: { 200: { description: 'The current user', content: { [JSON_TYPE]: UserResponse } } },
    handle: ({ auth }) => ({ status: 200, body: presentUser(auth.user) }),
  }),

  updateCurrentUser('put', 'updateCurrentUser'),
  updateCurrentUser('patch', 'patchCurrentUser'),

  defineApiRoute({
    method: 'delete',
    path: '/users/me',
    operationId: 'deleteCurrentUser',
    tag: 'users',
    summary: 'Delete the account',
    description:
      'Needs a session authenticated within REAUTH_MAX_AGE_SECONDS (POST /auth/reauthenticate first); otherwise 401 `insufficient_user_authentication`. Every token of the user is refused afterwards; the email and the username are free again.',
    bearer: true,
    rateLimited: true,
    responses: { 204: { description: 'The account is gone' } },
    errors: ['last_superuser', 'insufficient_user_authentication'],
    handle: async ({ auth, ctx }, { deleteCurrentUser }) => {
      await deleteCurrentUser.execute(auth, requestOrigin(ctx));
      return { status: 204 };
    },
  }),

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
