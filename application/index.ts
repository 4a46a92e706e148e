/**
 * The public entry point for programs that embed the use cases: the domain, the ports to implement and the
 * use cases to call. Nothing here needs Koa, Kysely, Redis or Inversify.
 */
export * from '../domain/index.js';
export type * from './ports/index.js';
// Ports one feature uses, kept in its folder; exported here as before.
export type * from './two-factor/totp-factor-repository.js';
export type * from './two-factor/totp.js';
export type * from './two-factor/mfa-notifier.js';
export type * from './email/mail-renderer.js';
export type * from './email/mail-wake-up.js';
export { RegisterUser, type RegisterUserInput } from './account/register-user.js';
export { LogIn, type LogInInput, type LogInResult } from './sessions/log-in.js';
export { AuthenticateUser, type Authenticated } from './sessions/authenticate-user.js';
export { ResumeSession } from './sessions/resume-session.js';
export { OpenSession } from './core/open-session.js';
export type { SessionPolicy, SessionTokens } from './core/issue-tokens.js';
export { RefreshSession, type RefreshPolicy } from './sessions/refresh-session.js';
export { LogOut } from './sessions/log-out.js';
export { ListSessions } from './sessions/list-sessions.js';
export { EndSession } from './sessions/end-session.js';
export { LoginThrottle } from './core/login-throttle.js';
export { PurgeEndedSessions } from './sessions/purge-ended-sessions.js';
export { UpdateCurrentUser, type UpdateCurrentUserInput } from './account/update-current-user.js';
export { DeleteCurrentUser } from './account/delete-current-user.js';
export { EnrolTotp, type TotpEnrolment } from './two-factor/enrol-totp.js';
export { ConfirmTotp } from './two-factor/confirm-totp.js';
export { DisableTotp } from './two-factor/disable-totp.js';
export { CompleteMfaLogIn, type CompleteMfaLogInInput } from './two-factor/complete-mfa-log-in.js';
export { SecondFactorCheck, totpSecondFactors, type SecondFactorMethod } from './two-factor/second-factor-check.js';
export {
  amrOf,
  PASSWORD_METHOD,
  secondFactorFor,
  type AuthenticationMethodEntry,
  type SecondFactor,
  type SecondFactorAttempt,
} from './core/authentication-methods.js';
export { AuditMfaNotifier } from './two-factor/audit-mfa-notifier.js';
export { FanOutMfaNotifier } from './two-factor/fan-out-mfa-notifier.js';
export { PurgeExpiredMfaChallenges } from './two-factor/purge-expired-mfa-challenges.js';
export { ServiceUnavailable } from './errors.js';
export { AuditTrail, type AuditSubject } from './core/audit-trail.js';
export { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX, type Page, type PageRequest } from './core/pages.js';
export { ListUsers, type ListUsersInput } from './administration/list-users.js';
export { GetUser } from './administration/get-user.js';
export { UpdateUser, type UpdateUserInput } from './administration/update-user.js';
export { DeleteUser } from './administration/delete-user.js';
export { ListUserSessions } from './administration/list-user-sessions.js';
export { EndUserSessions } from './administration/end-user-sessions.js';
export { ListAuditEvents, type ListAuditEventsInput } from './administration/list-audit-events.js';
export { ListMyEvents } from './administration/list-my-events.js';
export { EnsureFirstSuperuser, type FirstSuperuser, type FirstSuperuserOutcome } from './administration/ensure-first-superuser.js';
export { SetSuperuser } from './administration/set-superuser.js';
export { PurgeAuditEvents } from './administration/purge-audit-events.js';
export { MAIL_KINDS, MAIL_REQUEST_KINDS, isMailRequestKind } from './ports/mail-outbox.js';
export { MailQueue, DEFAULT_MAIL_POLICY, type MailPolicy, type LinkMail } from './core/mail-queue.js';
export { MailThrottle } from './core/mail-throttle.js';
export { MailMfaNotifier } from './two-factor/mail-mfa-notifier.js';
export { RequestVerification, type MailRequestInput } from './email/request-verification.js';
export { RequestPasswordReset } from './email/request-password-reset.js';
export { DEFAULT_REQUEST_POLICY, MailRequestWorker, ResolveMailRequest, type MailRequestObserver } from './email/resolve-mail-request.js';
export { VerifyEmail } from './email/verify-email.js';
export { ResetPassword, type ResetPasswordInput } from './email/reset-password.js';
export { RevertEmail } from './email/revert-email.js';
export {
  MailDeliveryWorker,
  DEFAULT_DELIVERY_POLICY,
  messageIdFor,
  type DeliveryPolicy,
  type MailDeliveryDependencies,
  type MailDeliveryObserver,
} from './email/mail-delivery-worker.js';
export { PurgeSettledMail } from './email/purge-settled-mail.js';
export * from './core/durable-queue/index.js';
export * from './housekeeping/index.js';
export { PurgeEndedOneTimeTokens } from './email/purge-ended-one-time-tokens.js';
export * from './passkeys/index.js';
export {
  Reauthentication,
  passwordProof,
  DEFAULT_REAUTHENTICATION_POLICY,
  type ReauthenticationProof,
  type ReauthenticationPolicy,
  type SecondFactorVerifier,
  type PasskeyAssertion,
  type PasskeyAssertionVerifier,
  type Requester,
} from './core/reauthentication.js';
export { CredentialsChanged, totpRemover, type CredentialChange, type SecondFactorRemover } from './core/credentials-changed.js';
export { Reauthenticate } from './sessions/reauthenticate.js';
export { ResetUserSecondFactors } from './administration/reset-user-second-factors.js';
export { DEFAULT_SECOND_FACTOR_LOCK, totpCodeVerifier, type SecondFactorLockPolicy } from './two-factor/second-factor-check.js';
export * from './webhooks/index.js';
export { ExportMyData, ProfileExport, type DataExport, type ExportSection } from './account/export-my-data.js';
export { SessionsExport } from './sessions/sessions-export.js';
export { SecurityHistoryExport } from './administration/security-history-export.js';
export { TwoFactorExport } from './two-factor/two-factor-export.js';
export { PasskeysExport } from './passkeys/passkeys-export.js';
