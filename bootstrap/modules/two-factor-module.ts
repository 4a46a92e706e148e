import { ContainerModule } from 'inversify';
import { OtpauthTotp } from '../../adapters/otpauth/otpauth-totp.js';
import {
  CompleteMfaLogIn,
  ConfirmTotp,
  DisableTotp,
  EnrolTotp,
  SecondFactorCheck,
  type Clock,
  type LoginThrottle,
  type MfaChallengeStore,
  type OpenSession,
  type PasswordHasher,
  type SecretBox,
  type Totp,
  type TotpFactorRepository,
  type UserRepository,
} from '../../application/index.js';
import type { Config } from '../config.js';
import { TOKENS } from '../tokens.js';

/**
 * Two-factor log-in (TOTP). The stores come from the user-store module chosen; the `MfaNotifier` the use cases
 * accept is not bound yet: the audit trail and the notice mails will provide it.
 */
export const twoFactorModule = new ContainerModule(({ bind }) => {
  // Authenticator apps show the issuer beside the account: the same name the tokens carry in `iss`.
  bind(TOKENS.Totp).toResolvedValue((config: Config) => new OtpauthTotp(config.jwtIssuer), [TOKENS.Config]);
  bind(TOKENS.SecondFactorCheck).toResolvedValue(
    (factors: TotpFactorRepository, totp: Totp, secrets: SecretBox, clock: Clock) => new SecondFactorCheck(factors, totp, secrets, clock),
    [TOKENS.TotpFactorRepository, TOKENS.Totp, TOKENS.SecretBox, TOKENS.Clock],
  );
  bind(TOKENS.EnrolTotp).toResolvedValue(
    (factors: TotpFactorRepository, hasher: PasswordHasher, totp: Totp, secrets: SecretBox, clock: Clock) => new EnrolTotp(factors, hasher, totp, secrets, clock),
    [TOKENS.TotpFactorRepository, TOKENS.PasswordHasher, TOKENS.Totp, TOKENS.SecretBox, TOKENS.Clock],
  );
  bind(TOKENS.ConfirmTotp).toResolvedValue(
    (factors: TotpFactorRepository, totp: Totp, secrets: SecretBox, clock: Clock) => new ConfirmTotp(factors, totp, secrets, clock),
    [TOKENS.TotpFactorRepository, TOKENS.Totp, TOKENS.SecretBox, TOKENS.Clock],
  );
  bind(TOKENS.DisableTotp).toResolvedValue(
    (factors: TotpFactorRepository, hasher: PasswordHasher, check: SecondFactorCheck, throttle: LoginThrottle) =>
      new DisableTotp(factors, hasher, check, throttle),
    [TOKENS.TotpFactorRepository, TOKENS.PasswordHasher, TOKENS.SecondFactorCheck, TOKENS.LoginThrottle],
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
    ) => new CompleteMfaLogIn(challenges, users, factors, check, openSession, throttle, clock),
    [
      TOKENS.MfaChallengeStore,
      TOKENS.UserRepository,
      TOKENS.TotpFactorRepository,
      TOKENS.SecondFactorCheck,
      TOKENS.OpenSession,
      TOKENS.LoginThrottle,
      TOKENS.Clock,
    ],
  );
});
