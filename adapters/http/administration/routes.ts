import { z } from 'zod';
import { passwordProof } from '../../../application/core/reauthentication.js';
import { requestOrigin } from '../request-origin.js';
import { RequestValidationError } from '../request-validation-error.js';
import { AdminUpdateUserRequest, AuditEventPageResponse, AuditEventQuery, PageQuery, UserListQuery, UserPageResponse } from './schemas.js';
import { SessionListResponse, UserResponse } from '../schemas.js';
import { presentAuditEvent, presentPage, presentSession, presentUser } from '../user-presenter.js';
import { defineApiRoute } from '../routes/api-dependencies.js';

const JSON_TYPE = 'application/json';

// A value the schema refuses (`me` among them) names no account: a 404 before any use case runs.
const userParams = z.object({ id: z.uuid().max(36).meta({ description: 'The user id' }) });


/**
 * Administration (superusers only) and each user's own security history. "Only a superuser may" is the use
 * cases' rule (`not_a_superuser`); these routes only map. They follow the `/users/me...` routes in the table, so
 * `me` is never taken for an id; the UUID schema would refuse it anyway.
 */
export const adminRoutes = [
  defineApiRoute({
    method: 'get',
    path: '/users/me/events',
    operationId: 'listMyEvents',
    tag: 'users',
    summary: "The current user's security history, newest first",
    description: 'Log-ins (with address and user agent), failed log-ins, changes and ended sessions of the account, by anyone.',
    bearer: true,
    rateLimited: true,
    noStore: true,
    query: PageQuery,
    responses: { 200: { description: 'One page of events', content: { [JSON_TYPE]: AuditEventPageResponse } } },
    errors: ['invalid_cursor'],
    handle: async ({ query, auth }, { listMyEvents }) => {
      const page = await listMyEvents.execute(auth.user, { limit: query.limit, cursor: query.cursor });
      return { status: 200, body: presentPage(page, presentAuditEvent) };
    },
  }),

  defineApiRoute({
    method: 'get',
    path: '/users',
    operationId: 'listUsers',
    tag: 'admin',
    summary: 'Every user, oldest first, optionally by an email or username prefix',
    description: 'Keyset pages: pass `next_cursor` back as `cursor`, with the same `q`, until it is absent. A user added or deleted meanwhile neither repeats nor skips another.',
    bearer: true,
    rateLimited: true,
    noStore: true,
    query: UserListQuery,
    responses: { 200: { description: 'One page of users', content: { [JSON_TYPE]: UserPageResponse } } },
    errors: ['not_a_superuser', 'invalid_cursor'],
    handle: async ({ query, auth }, { listUsers }) => {
      const page = await listUsers.execute(auth.user, { q: query.q, limit: query.limit, cursor: query.cursor });
      return { status: 200, body: presentPage(page, presentUser) };
    },
  }),

  defineApiRoute({
    method: 'get',
    path: '/users/{id}',
    operationId: 'getUser',
    tag: 'admin',
    summary: 'One user',
    description: 'Any account, active or not, superuser or not.',
    bearer: true,
    rateLimited: true,
    noStore: true,
    params: userParams,
    responses: { 200: { description: 'The user', content: { [JSON_TYPE]: UserResponse } } },
    errors: ['not_a_superuser', 'user_not_found'],
    handle: async ({ params, auth }, { getUser }) => ({ status: 200, body: presentUser(await getUser.execute(auth.user, params.id)) }),
  }),

  defineApiRoute({
    method: 'patch',
    path: '/users/{id}',
    operationId: 'updateUser',
    tag: 'admin',
    summary: 'Change any field of a user',
    description:
      "Needs the superuser's fresh authentication (`current_password`, or a session authenticated within REAUTH_MAX_AGE_SECONDS). Deactivating the user or setting its password ends its sessions at once. The last active superuser can be neither demoted nor deactivated. `mfa_enabled` cannot be set here (422): DELETE /users/{id}/mfa removes the factors.",
    bearer: true,
    rateLimited: true,
    noStore: true,
    params: userParams,
    body: { schema: AdminUpdateUserRequest, mediaTypes: [JSON_TYPE] },
    responses: { 200: { description: 'The updated user', content: { [JSON_TYPE]: UserResponse } } },
    errors: ['not_a_superuser', 'user_not_found', 'invalid_email', 'invalid_username', 'weak_password', 'email_taken', 'username_taken', 'last_superuser', 'insufficient_user_authentication', 'wrong_current_password', 'code_required', 'invalid_reauthentication_code', 'mfa_locked', 'too_many_login_attempts'],
    handle: async ({ params, body, auth, ctx }, { updateUser }) => {
      // It used to answer 200 and change nothing: an administrator believed the factor was gone.
      if (body.mfa_enabled !== undefined) {
        throw new RequestValidationError([{ path: 'mfa_enabled', message: 'Cannot be set here: DELETE /users/{id}/mfa removes the second factors' }]);
      }
      const input = { email: body.email, username: body.username, password: body.password, isActive: body.is_active, isVerified: body.is_verified, isSuperuser: body.is_superuser };
      const user = await updateUser.execute(auth, params.id, input, requestOrigin(ctx), passwordProof(body.current_password, body.code));
      return { status: 200, body: presentUser(user) };
    },
  }),

  defineApiRoute({
    method: 'delete',
    path: '/users/{id}',
    operationId: 'deleteUser',
    tag: 'admin',
    summary: 'Delete a user',
    description: 'Needs a session authenticated within REAUTH_MAX_AGE_SECONDS. Every token of the user is refused afterwards. The last active superuser cannot be deleted.',
    bearer: true,
    rateLimited: true,
    noStore: true,
    params: userParams,
    responses: { 204: { description: 'The account is gone' } },
    errors: ['not_a_superuser', 'user_not_found', 'last_superuser', 'insufficient_user_authentication'],
    handle: async ({ params, auth, ctx }, { deleteUser }) => {
      await deleteUser.execute(auth, params.id, requestOrigin(ctx));
      return { status: 204 };
    },
  }),

  defineApiRoute({
    method: 'get',
    path: '/users/{id}/sessions',
    operationId: 'listUserSessions',
    tag: 'admin',
    summary: "A user's open sessions, newest first",
    description: 'With the address and user agent of the log-in that opened each.',
    bearer: true,
    rateLimited: true,
    noStore: true,
    params: userParams,
    responses: { 200: { description: 'Open sessions', content: { [JSON_TYPE]: SessionListResponse } } },
    errors: ['not_a_superuser', 'user_not_found'],
    handle: async ({ params, auth }, { listUserSessions }) => {
      const sessions = await listUserSessions.execute(auth.user, params.id);
      // `current` marks the caller's session: true only when a superuser lists its own.
      return { status: 200, body: sessions.map((session) => presentSession(session, auth.session.id)) };
    },
  }),

  defineApiRoute({
    method: 'delete',
    path: '/users/{id}/sessions',
    operationId: 'endUserSessions',
    tag: 'admin',
    summary: 'End every session of a user',
    description: "Needs a session authenticated within REAUTH_MAX_AGE_SECONDS. Each of the user's tokens is refused on its next request, on every instance.",
    bearer: true,
    rateLimited: true,
    noStore: true,
    params: userParams,
    responses: { 204: { description: 'The sessions are ended' } },
    errors: ['not_a_superuser', 'user_not_found', 'insufficient_user_authentication'],
    handle: async ({ params, auth, ctx }, { endUserSessions }) => {
      await endUserSessions.execute(auth, params.id, requestOrigin(ctx));
      return { status: 204 };
    },
  }),

  defineApiRoute({
    method: 'delete',
    path: '/users/{id}/mfa',
    operationId: 'resetUserSecondFactors',
    tag: 'admin',
    summary: "Remove every second factor of a user",
    description:
      "For an owner who lost their factor, or whose account was taken over: the TOTP factor and recovery codes go, two-factor log-in is off, every session of the user ends, and the user is mailed. Needs a session authenticated within REAUTH_MAX_AGE_SECONDS. Recorded as `admin.mfa_reset`.",
    bearer: true,
    rateLimited: true,
    noStore: true,
    params: userParams,
    responses: { 204: { description: 'The second factors are gone' } },
    errors: ['not_a_superuser', 'user_not_found', 'insufficient_user_authentication'],
    handle: async ({ params, auth, ctx }, { resetUserSecondFactors }) => {
      await resetUserSecondFactors.execute(auth, params.id, requestOrigin(ctx));
      return { status: 204 };
    },
  }),

  defineApiRoute({
    method: 'get',
    path: '/audit-events',
    operationId: 'listAuditEvents',
    tag: 'admin',
    summary: "Everyone's security history, newest first",
    description:
      '`user_id` filters on the account an event is about (not on who acted). Keyset pages: pass `next_cursor` back as `cursor`, with the same filters, until it is absent.',
    bearer: true,
    rateLimited: true,
    noStore: true,
    query: AuditEventQuery,
    responses: { 200: { description: 'One page of events', content: { [JSON_TYPE]: AuditEventPageResponse } } },
    errors: ['not_a_superuser', 'invalid_cursor'],
    handle: async ({ query, auth }, { listAuditEvents }) => {
      const page = await listAuditEvents.execute(auth.user, { userId: query.user_id, type: query.type, limit: query.limit, cursor: query.cursor });
      return { status: 200, body: presentPage(page, presentAuditEvent) };
    },
  }),
];
