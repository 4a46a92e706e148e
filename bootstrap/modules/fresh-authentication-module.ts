import { ContainerModule } from 'inversify';
import {
  CredentialsChanged,
  Reauthenticate,
  Reauthentication,
  totpRemover,
  totpCodeVerifier,
  passkeyAssertionVerifier,
  passkeyRemover,
  type PasskeyProof,
  type PasskeyRepository,
  type AuditTrail,
  type Clock,
  type LoginThrottle,
  type MailQueue,
  type PasswordHasher,
  type SecondFactorCheck,
  type SessionRepository,
  type TotpFactorRepository,
} from '../../application/index.js';
import type { Config } from '../config.js';
import { TOKENS } from '../tokens.js';

/**
 * The shared security steps (`Reauthentication`, `CredentialsChanged`) and `POST /auth/reauthenticate`. Each kind
 * of second factor (TOTP, passkeys) gives `Reauthentication` its verifier and `CredentialsChanged` its remover here.
 */
export const freshAuthenticationModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.Reauthentication).toResolvedValue(
    (hasher: PasswordHasher, throttle: LoginThrottle, factors: TotpFactorRepository, check: SecondFactorCheck, clock: Clock, config: Config, passkeys: PasskeyProof) =>
      new Reauthentication(hasher, throttle, clock, { maxAgeSeconds: config.reauthMaxAgeSeconds }, totpCodeVerifier(factors, check), passkeyAssertionVerifier(passkeys)),
    [TOKENS.PasswordHasher, TOKENS.LoginThrottle, TOKENS.TotpFactorRepository, TOKENS.SecondFactorCheck, TOKENS.Clock, TOKENS.Config, TOKENS.PasskeyProof],
  );
  bind(TOKENS.CredentialsChanged).toResolvedValue(
    (mail: MailQueue, audit: AuditTrail, clock: Clock, factors: TotpFactorRepository, passkeys: PasskeyRepository) =>
      new CredentialsChanged(mail, audit, clock, [totpRemover(factors), passkeyRemover(passkeys)]),
    [TOKENS.MailQueue, TOKENS.AuditTrail, TOKENS.Clock, TOKENS.TotpFactorRepository, TOKENS.PasskeyRepository],
  );
  bind(TOKENS.Reauthenticate).toResolvedValue(
    (reauthentication: Reauthentication, sessions: SessionRepository, clock: Clock, audit: AuditTrail) => new Reauthenticate(reauthentication, sessions, clock, audit),
    [TOKENS.Reauthentication, TOKENS.SessionRepository, TOKENS.Clock, TOKENS.AuditTrail],
  );
});
