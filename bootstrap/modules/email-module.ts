import { ContainerModule } from 'inversify';
import type { EmailRouteDependencies } from '../../adapters/http/email/routes.js';
import {
  PurgeEndedOneTimeTokens,
  RequestPasswordReset,
  RequestVerification,
  ResetPassword,
  RevertEmail,
  VerifyEmail,
  type AuditTrail,
  type Clock,
  type CredentialsChanged,
  type MailQueue,
  type MailThrottle,
  type OneTimeTokenStore,
  type PasswordHasher,
  type PasswordPolicy,
  type UnitOfWork,
} from '../../application/index.js';
import { token, TOKENS } from '../tokens.js';

/** What the e-mail routes use, bound below. */
export const EMAIL_ROUTES = token<EmailRouteDependencies>('EmailRoutes');
/** The purge of spent and expired mailed links, for the housekeeping round. */
export const ONE_TIME_TOKENS_PURGE = token<PurgeEndedOneTimeTokens>('PurgeEndedOneTimeTokens');

/** Verification, recovery and revert by mailed link. The outbox and its worker are in `mail-module.ts`. */
export const emailModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.RequestVerification).toResolvedValue(
    (unitOfWork: UnitOfWork, mail: MailQueue, throttle: MailThrottle) => new RequestVerification(unitOfWork, mail, throttle),
    [TOKENS.UnitOfWork, TOKENS.MailQueue, TOKENS.MailThrottle],
  );
  bind(TOKENS.VerifyEmail).toResolvedValue(
    (unitOfWork: UnitOfWork, mail: MailQueue, clock: Clock, audit: AuditTrail) => new VerifyEmail(unitOfWork, mail, clock, audit),
    [TOKENS.UnitOfWork, TOKENS.MailQueue, TOKENS.Clock, TOKENS.AuditTrail],
  );
  bind(TOKENS.RequestPasswordReset).toResolvedValue(
    (unitOfWork: UnitOfWork, mail: MailQueue, throttle: MailThrottle) => new RequestPasswordReset(unitOfWork, mail, throttle),
    [TOKENS.UnitOfWork, TOKENS.MailQueue, TOKENS.MailThrottle],
  );
  bind(TOKENS.ResetPassword).toResolvedValue(
    (unitOfWork: UnitOfWork, hasher: PasswordHasher, policy: PasswordPolicy, clock: Clock, changed: CredentialsChanged) =>
      new ResetPassword(unitOfWork, hasher, policy, clock, changed),
    [TOKENS.UnitOfWork, TOKENS.PasswordHasher, TOKENS.PasswordPolicy, TOKENS.Clock, TOKENS.CredentialsChanged],
  );
  bind(ONE_TIME_TOKENS_PURGE).toResolvedValue(
    (tokens: OneTimeTokenStore, clock: Clock) => new PurgeEndedOneTimeTokens(tokens, clock),
    [TOKENS.OneTimeTokenStore, TOKENS.Clock],
  );
  bind(TOKENS.RevertEmail).toResolvedValue(
    (unitOfWork: UnitOfWork, clock: Clock, mail: MailQueue, changed: CredentialsChanged) => new RevertEmail(unitOfWork, clock, mail, changed),
    [TOKENS.UnitOfWork, TOKENS.Clock, TOKENS.MailQueue, TOKENS.CredentialsChanged],
  );
  bind(EMAIL_ROUTES).toDynamicValue(async ({ getAsync }) => ({
    requestVerification: await getAsync(TOKENS.RequestVerification),
    verifyEmail: await getAsync(TOKENS.VerifyEmail),
    requestPasswordReset: await getAsync(TOKENS.RequestPasswordReset),
    resetPassword: await getAsync(TOKENS.ResetPassword),
    revertEmail: await getAsync(TOKENS.RevertEmail),
  }));
});
