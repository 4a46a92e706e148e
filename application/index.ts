/**
 * The public entry point for programs that embed the use cases: the domain, the ports to implement and the
 * use cases to call. Nothing here needs Koa, Kysely, Redis or Inversify.
 */
export * from '../domain/index.js';
export type * from './ports/index.js';
export { RegisterUser, type RegisterUserInput } from './use-cases/register-user.js';
export { LogIn, type LogInInput, type LogInResult } from './use-cases/log-in.js';
export { AuthenticateUser, type Authenticated } from './use-cases/authenticate-user.js';
export { OpenSession, type SessionPolicy, type SessionTokens } from './use-cases/open-session.js';
export { RefreshSession } from './use-cases/refresh-session.js';
export { LogOut, ListSessions, EndSession } from './use-cases/sessions.js';
export { LoginThrottle } from './use-cases/login-throttle.js';
export { PurgeEndedSessions } from './use-cases/purge-ended-sessions.js';
export { UpdateCurrentUser, type UpdateCurrentUserInput } from './use-cases/update-current-user.js';
export { DeleteCurrentUser } from './use-cases/delete-current-user.js';
export { ServiceUnavailable } from './errors.js';
export { MAIL_KINDS } from './ports/mail-outbox.js';
export { MailQueue, DEFAULT_MAIL_POLICY, type MailPolicy, type LinkMail } from './use-cases/mail-queue.js';
export { MailThrottle } from './use-cases/mail-throttle.js';
export { RequestVerification, type MailRequestInput } from './use-cases/request-verification.js';
export { RequestPasswordReset } from './use-cases/request-password-reset.js';
export { VerifyEmail } from './use-cases/verify-email.js';
export { ResetPassword, type ResetPasswordInput } from './use-cases/reset-password.js';
export { RevertEmail } from './use-cases/revert-email.js';
export {
  MailDeliveryWorker,
  DEFAULT_DELIVERY_POLICY,
  type DeliveryPolicy,
  type MailDeliveryObserver,
} from './use-cases/mail-delivery-worker.js';
export { PurgeEndedOneTimeTokens } from './use-cases/purge-ended-one-time-tokens.js';
