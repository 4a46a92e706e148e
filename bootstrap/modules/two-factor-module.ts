import { ContainerModule } from 'inversify';
import { OtpauthTotp } from '../../adapters/otpauth/otpauth-totp.js';
import {
  AuditMfaNotifier,
  CompleteMfaLogIn,
  ConfirmTotp,
  DisableTotp,
  EnrolTotp,
  FanOutMfaNotifier,
  MailMfaNotifier,
  PurgeExpiredMfaChallenges,
  SecondFactorCheck,
  type AuditTrail,
  type Clock,
  type LoginThrottle,
  type MailQueue,
  type UnitOfWork,
  type MfaChallengeStore,
  type MfaNotifier,
  type OpenSession,
  type SecretBox,
  type Totp,
  type TotpFactorRepository,
  type UserRepository,
  type Reauthentication,
} from '../../application/index.js';
import type { Config } from '../config.js';
import { TOKENS } from '../tokens.js';
import { TwoFactorExport } from '../../application/two-factor/two-factor-export.js';

/** Two-factor log-in (TOTP). The stores come from the user-store module chosen. */
export const twoFactorModule = new ContainerModule(({ bind }) => {
  // Authenticator apps show the issuer beside the account: the same name the tokens carry in `iss`.
  bind(TOKENS.Totp).toResolvedValue((config: Config) => new OtpauthTotp(config.jwtIssuer), [TOKENS.Config]);
  // Every notifier of a two-factor change goes in this list; the notice mails join the audit trail here.
  // The history records every change; the owner is mailed when the factor stops protecting the account.
  bind(TOKENS.MfaNotifier).toResolvedValue(
    (audit: AuditTrail, unitOfWork: UnitOfWork, mail: MailQueue) =>
      new FanOutMfaNotifier([new AuditMfaNotifier(audit), new MailMfaNotifier(unitOfWork, mail)]),
    [TOKENS.AuditTrail, TOKENS.UnitOfWork, TOKENS.MailQueue],
  );
  bind(TOKENS.SecondFactorCheck).toResolvedValue(
    (factors: TotpFactorRepository, totp: Totp, secrets: SecretBox, clock: Clock, config: Config, notifier: MfaNotifier) =>
      new SecondFactorCheck(factors, totp, secrets, clock, { maxConsecutiveFailures: config.mfaMaxConsecutiveFailures }, notifier),
    [TOKENS.TotpFactorRepository, TOKENS.Totp, TOKENS.SecretBox, TOKENS.Clock, TOKENS.Config, TOKENS.MfaNotifier],
  );
  bind(TOKENS.EnrolTotp).toResolvedValue(
    (factors: TotpFactorRepository, totp: Totp, secrets: SecretBox, clock: Clock, reauthentication: Reauthentication) =>
      new EnrolTotp(factors, totp, secrets, clock, reauthentication),
    [TOKENS.TotpFactorRepository, TOKENS.Totp, TOKENS.SecretBox, TOKENS.Clock, TOKENS.Reauthentication],
  );
  bind(TOKENS.ConfirmTotp).toResolvedValue(
    (factors: TotpFactorRepository, totp: Totp, secrets: SecretBox, clock: Clock, notifier: MfaNotifier) => new ConfirmTotp(factors, totp, secrets, clock, notifier),
    [TOKENS.TotpFactorRepository, TOKENS.Totp, TOKENS.SecretBox, TOKENS.Clock, TOKENS.MfaNotifier],
  );
  bind(TOKENS.DisableTotp).toResolvedValue(
    (factors: TotpFactorRepository, reauthentication: Reauthentication, notifier: MfaNotifier) => new DisableTotp(factors, reauthentication, notifier),
    [TOKENS.TotpFactorRepository, TOKENS.Reauthentication, TOKENS.MfaNotifier],
  );
  bind(TOKENS.CompleteMfaLogIn).toResolvedValue(
    (
      challenges: MfaChallengeStore,
      users: UserRepository,
      factors: TotpFactorRepository,
      check: SecondFactorCheck,
      openSession: OpenSession,
      throttle: LoginThrottle,
      clock: Clock,
      audit: AuditTrail,
      notifier: MfaNotifier,
    ) => new CompleteMfaLogIn(challenges, users, factors, check, openSession, throttle, clock, audit, notifier),
    [
      TOKENS.MfaChallengeStore,
      TOKENS.UserRepository,
      TOKENS.TotpFactorRepository,
      TOKENS.SecondFactorCheck,
      TOKENS.OpenSession,
      TOKENS.LoginThrottle,
      TOKENS.Clock,
      TOKENS.AuditTrail,
      TOKENS.MfaNotifier,
    ],
  );
  bind(TOKENS.HousekeepingJob).toResolvedValue(
    (challenges: MfaChallengeStore, clock: Clock) => new PurgeExpiredMfaChallenges(challenges, clock),
    [TOKENS.MfaChallengeStore, TOKENS.Clock],
  );
  bind(TOKENS.ExportSection).toResolvedValue((factors: TotpFactorRepository) => new TwoFactorExport(factors), [TOKENS.TotpFactorRepository]);
});
