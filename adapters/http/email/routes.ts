import { AcceptedResponse, UserResponse, type AcceptedResponse as AcceptedBody } from '../schemas.js';
import { EmailRequest, ResetPasswordRequest, TokenRequest } from './schemas.js';
import { presentUser } from '../user-presenter.js';
import { defineApiRoute } from '../routes/api-dependencies.js';
import type { Reply } from '../routes/define-route.js';

const JSON_TYPE = 'application/json';

/**
 * One answer for a known and an unknown address, and for one over its mail budget: the body must not tell an
 * account apart from none (fastapi-users answers these two routes the same way).
 */
export const MAIL_ACCEPTED: AcceptedBody = { detail: 'If the address can receive it, a mail is on its way' };

const accepted = {
  description: 'Accepted; a mail goes out only to an account that can use it, within the mail limits',
  content: { [JSON_TYPE]: AcceptedResponse },
} as const;

const acceptedReply = (): Reply<202> => ({ status: 202, body: MAIL_ACCEPTED });

export const emailRoutes = [
  defineApiRoute({
    method: 'post',
    path: '/auth/request-verify-token',
    operationId: 'requestVerifyToken',
    tag: 'auth',
    summary: 'Mail a new verification link',
    description: 'Mails a link to an active, unverified account at that address. The answer is the same for any address.',
    bearer: false,
    rateLimited: true,
    body: { schema: EmailRequest, mediaTypes: [JSON_TYPE] },
    responses: { 202: accepted },
    errors: ['invalid_email'],
    handle: async ({ body, ctx }, { requestVerification }) => {
      await requestVerification.execute({ email: body.email, client: ctx.ip });
      return acceptedReply();
    },
  }),

  defineApiRoute({
    method: 'post',
    path: '/auth/verify',
    operationId: 'verifyEmail',
    tag: 'auth',
    summary: 'Follow a verification link',
    description: 'Marks the address verified, or, for an email change that waits for confirmation, moves the account to it.',
    bearer: false,
    rateLimited: true,
    noStore: true,
    body: { schema: TokenRequest, mediaTypes: [JSON_TYPE] },
    responses: { 200: { description: 'The verified user', content: { [JSON_TYPE]: UserResponse } } },
    // email_taken: a confirm-first change whose new address was registered by someone else meanwhile.
    errors: ['invalid_one_time_token', 'email_taken'],
    handle: async ({ body }, { verifyEmail }) => ({ status: 200, body: presentUser(await verifyEmail.execute(body.token)) }),
  }),

  defineApiRoute({
    method: 'post',
    path: '/auth/forgot-password',
    operationId: 'forgotPassword',
    tag: 'auth',
    summary: 'Mail a password reset link',
    description: 'Mails a reset link to an active account at that address and voids its earlier ones. The answer is the same for any address.',
    bearer: false,
    rateLimited: true,
    body: { schema: EmailRequest, mediaTypes: [JSON_TYPE] },
    responses: { 202: accepted },
    errors: ['invalid_email'],
    handle: async ({ body, ctx }, { requestPasswordReset }) => {
      await requestPasswordReset.execute({ email: body.email, client: ctx.ip });
      return acceptedReply();
    },
  }),

  defineApiRoute({
    method: 'post',
    path: '/auth/reset-password',
    operationId: 'resetPassword',
    tag: 'auth',
    summary: 'Set a new password from a reset link',
    description: 'Every session ends and every earlier token is refused. A weak password leaves the link usable for another try.',
    bearer: false,
    rateLimited: true,
    body: { schema: ResetPasswordRequest, mediaTypes: [JSON_TYPE] },
    responses: { 204: { description: 'The password is changed' } },
    errors: ['invalid_one_time_token', 'weak_password'],
    handle: async ({ body }, { resetPassword }) => {
      await resetPassword.execute({ token: body.token, password: body.password });
      return { status: 204 };
    },
  }),

  defineApiRoute({
    method: 'post',
    path: '/auth/revert-email',
    operationId: 'revertEmail',
    tag: 'auth',
    summary: 'Undo an email change from the link mailed to the old address',
    description: 'The old address comes back, every session ends, and every outstanding link dies.',
    bearer: false,
    rateLimited: true,
    body: { schema: TokenRequest, mediaTypes: [JSON_TYPE] },
    responses: { 204: { description: 'The old address is back' } },
    // email_taken: the old address was registered by another account since.
    errors: ['invalid_one_time_token', 'email_taken'],
    handle: async ({ body }, { revertEmail }) => {
      await revertEmail.execute(body.token);
      return { status: 204 };
    },
  }),
];
