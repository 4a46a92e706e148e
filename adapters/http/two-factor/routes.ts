import { passwordProof } from '../../../application/core/reauthentication.js';
import { MfaLoginRequest, RecoveryCodesResponse, TotpConfirmRequest, TotpDisableRequest, TotpEnrolmentResponse, TotpEnrolRequest } from './schemas.js';
import { requestOrigin } from '../request-origin.js';
import { defineApiRoute } from '../routes/api-dependencies.js';
import { counted, tokenAnswer, tokenReply } from '../token-reply.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** Two-factor log-in (TOTP, RFC 6238): turning it on and off for the current user, and the log-in's second step. */
export const mfaRoutes = [
  defineApiRoute({
    method: 'post',
    path: '/users/me/mfa/totp',
    operationId: 'enrolTotp',
    tag: 'users',
    summary: 'Start turning two-factor log-in on: a new TOTP secret',
    description:
      "Needs fresh authentication (`current_password`, or a session authenticated within REAUTH_MAX_AGE_SECONDS), so a stolen access token alone cannot bind an attacker's app. The secret is pending until confirmed; asking again replaces a pending one.",
    bearer: true,
    rateLimited: true,
    // The secret is shown once and must not sit in any cache.
    noStore: true,
    body: { schema: TotpEnrolRequest, mediaTypes: [JSON_TYPE] },
    responses: { 200: { description: 'The new secret, not active until confirmed', content: { [JSON_TYPE]: TotpEnrolmentResponse } } },
    errors: ['mfa_already_enabled', 'insufficient_user_authentication', 'wrong_current_password', 'code_required', 'invalid_reauthentication_code', 'mfa_locked', 'too_many_login_attempts'],
    handle: async ({ body, auth, ctx }, { enrolTotp }) => {
      const enrolment = await enrolTotp.execute(auth, passwordProof(body.current_password), requestOrigin(ctx));
      return { status: 200, body: { secret: enrolment.secret, otpauth_uri: enrolment.otpauthUri } };
    },
  }),

  defineApiRoute({
    method: 'post',
    path: '/users/me/mfa/totp/confirm',
    operationId: 'confirmTotp',
    tag: 'users',
    summary: 'Turn two-factor log-in on with a code from the new secret',
    description: 'Answers ten single-use recovery codes, this once. The code confirming is spent: it cannot also finish a log-in.',
    bearer: true,
    rateLimited: true,
    noStore: true,
    body: { schema: TotpConfirmRequest, mediaTypes: [JSON_TYPE] },
    responses: { 200: { description: 'Two-factor log-in is on; the recovery codes', content: { [JSON_TYPE]: RecoveryCodesResponse } } },
    errors: ['invalid_otp', 'mfa_not_enrolled', 'mfa_already_enabled'],
    handle: async ({ body, auth, ctx }, { confirmTotp }) => {
      const { recoveryCodes } = await confirmTotp.execute(auth.user, body.code, requestOrigin(ctx));
      return { status: 200, body: { recovery_codes: [...recoveryCodes] } };
    },
  }),

  defineApiRoute({
    method: 'post',
    path: '/users/me/mfa/totp/disable',
    operationId: 'disableTotp',
    tag: 'users',
    summary: 'Turn two-factor log-in off',
    description:
      "Needs fresh authentication: the password and a code (TOTP or recovery), or a session authenticated within REAUTH_MAX_AGE_SECONDS with both factors. Failures count against the account's log-in failure budget, wrong codes towards MFA_MAX_CONSECUTIVE_FAILURES.",
    bearer: true,
    rateLimited: true,
    noStore: true,
    body: { schema: TotpDisableRequest, mediaTypes: [JSON_TYPE] },
    responses: { 204: { description: 'Two-factor log-in is off; log-in takes the password alone' } },
    errors: ['mfa_not_enabled', 'insufficient_user_authentication', 'wrong_current_password', 'code_required', 'invalid_reauthentication_code', 'mfa_locked', 'too_many_login_attempts'],
    handle: async ({ body, auth, ctx }, { disableTotp }) => {
      await disableTotp.execute(auth, { proof: passwordProof(body.current_password, body.code), origin: requestOrigin(ctx) });
      return { status: 204 };
    },
  }),

  defineApiRoute({
    method: 'post',
    path: '/auth/login/mfa',
    operationId: 'completeMfaLogIn',
    tag: 'auth',
    summary: 'The second step of a log-in: a code for the mfa_token',
    description:
      "The `mfa_token` comes from the 403 `mfa_required` answer of POST /auth/login. It is single use, lives 5 minutes, answers only the address that gave the password, and is dead after 5 codes. Wrong codes count against the account's log-in failure budget.",
    bearer: false,
    rateLimited: true,
    noStore: true,
    body: { schema: MfaLoginRequest, mediaTypes: [FORM, JSON_TYPE] },
    responses: { 200: tokenAnswer },
    errors: ['invalid_mfa_login', 'inactive_user', 'too_many_login_attempts', 'mfa_locked'],
    handle: async ({ body, ctx }, { completeMfaLogIn, metrics }) => {
      const { tokens } = await counted(metrics, completeMfaLogIn.execute({ mfaToken: body.mfa_token, code: body.code, origin: requestOrigin(ctx) }));
      return tokenReply(tokens);
    },
  }),
];
