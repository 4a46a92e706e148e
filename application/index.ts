/**
 * The public entry point for programs that embed the use cases: the domain, the ports to implement and the
 * use cases to call. Nothing here needs Koa, Kysely, Redis or Inversify.
 */
export * from '../domain/index.js';
export type * from './ports/index.js';
export { RegisterUser, type RegisterUserInput } from './use-cases/register-user.js';
export { LogIn, type LogInInput, type LogInResult } from './use-cases/log-in.js';
export { AuthenticateUser, type Authenticated } from './use-cases/authenticate-user.js';
export { OpenSession } from './use-cases/open-session.js';
export type { SessionPolicy, SessionTokens } from './use-cases/issue-tokens.js';
export { RefreshSession, type RefreshPolicy } from './use-cases/refresh-session.js';
export { LogOut } from './use-cases/log-out.js';
export { ListSessions } from './use-cases/list-sessions.js';
export { EndSession } from './use-cases/end-session.js';
export { LoginThrottle } from './use-cases/login-throttle.js';
export { PurgeEndedSessions } from './use-cases/purge-ended-sessions.js';
export { UpdateCurrentUser, type UpdateCurrentUserInput } from './use-cases/update-current-user.js';
export { DeleteCurrentUser } from './use-cases/delete-current-user.js';
export { EnrolTotp, type TotpEnrolment } from './use-cases/enrol-totp.js';
export { ConfirmTotp } from './use-cases/confirm-totp.js';
export { DisableTotp } from './use-cases/disable-totp.js';
export { CompleteMfaLogIn, type CompleteMfaLogInInput } from './use-cases/complete-mfa-log-in.js';
export { SecondFactorCheck, type SecondFactorMethod } from './use-cases/second-factor-check.js';
export { AuditMfaNotifier } from './use-cases/audit-mfa-notifier.js';
export { FanOutMfaNotifier } from './use-cases/fan-out-mfa-notifier.js';
export { PurgeExpiredMfaChallenges } from './use-cases/purge-expired-mfa-challenges.js';
export { ServiceUnavailable } from './errors.js';
export { AuditTrail, type AuditSubject } from './use-cases/audit-trail.js';
export { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX, type Page, type PageRequest } from './use-cases/pages.js';
export { ListUsers, type ListUsersInput } from './use-cases/list-users.js';
export { GetUser } from './use-cases/get-user.js';
export { UpdateUser, type UpdateUserInput } from './use-cases/update-user.js';
export { DeleteUser } from './use-cases/delete-user.js';
export { ListUserSessions } from './use-cases/list-user-sessions.js';
export { EndUserSessions } from './use-cases/end-user-sessions.js';
export { ListAuditEvents, type ListAuditEventsInput } from './use-cases/list-audit-events.js';
export { ListMyEvents } from './use-cases/list-my-events.js';
export { EnsureFirstSuperuser, type FirstSuperuser, type FirstSuperuserOutcome } from './use-cases/ensure-first-superuser.js';
export { SetSuperuser } from './use-cases/set-superuser.js';
export { PurgeAuditEvents, type AuditRetention } from './use-cases/purge-audit-events.js';
export { MAIL_KINDS } from './ports/mail-outbox.js';
export { MailQueue, DEFAULT_MAIL_POLICY, type MailPolicy, type LinkMail } from './use-cases/mail-queue.js';
export { MailThrottle } from './use-cases/mail-throttle.js';
export { MailMfaNotifier } from './use-cases/mail-mfa-notifier.js';
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
export * from './webhooks/index.js';
