import { EmailTaken } from '../../../domain/index.js';
import { API_PREFIX } from '../api-prefix.js';
import { requestOrigin } from '../request-origin.js';
import { AcceptedResponse, UserResponse, type AcceptedResponse as AcceptedBody } from '../schemas.js';
import { RegisterRequest, UpdateUserRequest } from './schemas.js';
import { presentUser } from '../user-presenter.js';
import { defineApiRoute } from '../routes/api-dependencies.js';

const JSON_TYPE = 'application/json';

export const CURRENT_USER_PATH = `${API_PREFIX}/users/me`;

const REGISTRATION_ACCEPTED: AcceptedBody = { detail: 'Follow the link mailed to the address to finish registering' };

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
];

/** Registration: first in the route table, as before the move. */
export const registrationRoutes = [
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
];
