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
export { EnrolTotp, type TotpEnrolment } from './use-cases/enrol-totp.js';
export { ConfirmTotp } from './use-cases/confirm-totp.js';
export { DisableTotp } from './use-cases/disable-totp.js';
export { CompleteMfaLogIn, type CompleteMfaLogInInput } from './use-cases/complete-mfa-log-in.js';
export { SecondFactorCheck, type SecondFactorMethod } from './use-cases/second-factor-check.js';
export { ServiceUnavailable } from './errors.js';
