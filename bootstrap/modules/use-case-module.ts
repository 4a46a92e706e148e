import { ContainerModule } from 'inversify';
import {
  AuthenticateUser,
  DeleteCurrentUser,
  EndSession,
  ListSessions,
  LogIn,
  LogOut,
  OpenSession,
  PurgeEndedSessions,
  RefreshSession,
  RegisterUser,
  RequestPasswordReset,
  RequestVerification,
  ResetPassword,
  PurgeEndedOneTimeTokens,
  RevertEmail,
  UpdateCurrentUser,
  type AuditTrail,
  VerifyEmail,
  type Clock,
  type MailQueue,
  type OneTimeTokenStore,
  type MailThrottle,
  type UnitOfWork,
  type LoginThrottle,
  type Reauthentication,
  type CredentialsChanged,
  type MfaChallengeStore,
  type PasswordHasher,
  type PasswordPolicy,
  type SessionRepository,
  type TokenIssuer,
  type UserRepository,
} from '../../application/index.js';
import type { Config } from '../config.js';
import { loadRefreshTokenKey } from '../refresh-token-key.js';
import { TOKENS } from '../tokens.js';
import { ProfileExport } from '../../application/account/export-my-data.js';
import { SessionsExport } from '../../application/sessions/sessions-export.js';

/** The use cases carry no decorators: they are plain classes, constructed here from their ports. */
export const useCaseModule = new ContainerModule(({ bind }) => {
  const sessionPolicy = (config: Config) => ({ refreshTokenTtlMs: config.refreshTokenTtlMs });

  const verified = (config: Config) => ({ requireVerifiedEmail: config.mail.requireVerifiedEmail });

  bind(TOKENS.RegisterUser).toResolvedValue(
    (unitOfWork: UnitOfWork, hasher: PasswordHasher, policy: PasswordPolicy, clock: Clock, mail: MailQueue, throttle: MailThrottle, audit: AuditTrail, config: Config) =>
      new RegisterUser(unitOfWork, hasher, policy, clock, mail, throttle, audit, verified(config)),
    [TOKENS.UnitOfWork, TOKENS.PasswordHasher, TOKENS.PasswordPolicy, TOKENS.Clock, TOKENS.MailQueue, TOKENS.MailThrottle, TOKENS.AuditTrail, TOKENS.Config],
  );
  bind(TOKENS.OpenSession).toResolvedValue(
    (sessions: SessionRepository, tokens: TokenIssuer, clock: Clock, config: Config) => new OpenSession(sessions, tokens, clock, sessionPolicy(config)),
    [TOKENS.SessionRepository, TOKENS.TokenIssuer, TOKENS.Clock, TOKENS.Config],
  );
  bind(TOKENS.LogIn).toResolvedValue(
    (
      users: UserRepository,
      hasher: PasswordHasher,
      openSession: OpenSession,
      throttle: LoginThrottle,
      challenges: MfaChallengeStore,
      clock: Clock,
      audit: AuditTrail,
      config: Config,
    ) => new LogIn(users, hasher, openSession, throttle, challenges, clock, audit, verified(config)),
    [
      TOKENS.UserRepository,
      TOKENS.PasswordHasher,
      TOKENS.OpenSession,
      TOKENS.LoginThrottle,
      TOKENS.MfaChallengeStore,
      TOKENS.Clock,
      TOKENS.AuditTrail,
      TOKENS.Config,
    ],
  );
  bind(TOKENS.RefreshSession).toResolvedValue(
    async (sessions: SessionRepository, tokens: TokenIssuer, clock: Clock, config: Config, audit: AuditTrail) =>
      new RefreshSession(
        sessions,
        tokens,
        clock,
        { ...sessionPolicy(config), refreshReuseGraceMs: config.refreshReuseGraceMs },
        await loadRefreshTokenKey(config),
        audit,
      ),
    [TOKENS.SessionRepository, TOKENS.TokenIssuer, TOKENS.Clock, TOKENS.Config, TOKENS.AuditTrail],
  );
  bind(TOKENS.AuthenticateUser).toResolvedValue(
    (tokens: TokenIssuer, sessions: SessionRepository, clock: Clock) => new AuthenticateUser(tokens, sessions, clock),
    [TOKENS.TokenIssuer, TOKENS.SessionRepository, TOKENS.Clock],
  );
  bind(TOKENS.UpdateCurrentUser).toResolvedValue(
    (
      unitOfWork: UnitOfWork,
      hasher: PasswordHasher,
      policy: PasswordPolicy,
      clock: Clock,
      mail: MailQueue,
      reauthentication: Reauthentication,
      changed: CredentialsChanged,
      config: Config,
    ) => new UpdateCurrentUser(unitOfWork, hasher, policy, clock, mail, reauthentication, changed, verified(config)),
    [TOKENS.UnitOfWork, TOKENS.PasswordHasher, TOKENS.PasswordPolicy, TOKENS.Clock, TOKENS.MailQueue, TOKENS.Reauthentication, TOKENS.CredentialsChanged, TOKENS.Config],
  );
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
  bind(TOKENS.HousekeepingJob).toResolvedValue(
    (tokens: OneTimeTokenStore, clock: Clock) => new PurgeEndedOneTimeTokens(tokens, clock),
    [TOKENS.OneTimeTokenStore, TOKENS.Clock],
  );
  bind(TOKENS.RevertEmail).toResolvedValue(
    (unitOfWork: UnitOfWork, clock: Clock, mail: MailQueue, changed: CredentialsChanged) => new RevertEmail(unitOfWork, clock, mail, changed),
    [TOKENS.UnitOfWork, TOKENS.Clock, TOKENS.MailQueue, TOKENS.CredentialsChanged],
  );
  bind(TOKENS.DeleteCurrentUser).toResolvedValue(
    (unitOfWork: UnitOfWork, audit: AuditTrail, reauthentication: Reauthentication) => new DeleteCurrentUser(unitOfWork, audit, reauthentication),
    [TOKENS.UnitOfWork, TOKENS.AuditTrail, TOKENS.Reauthentication],
  );
  bind(TOKENS.LogOut).toResolvedValue(
    (sessions: SessionRepository, clock: Clock, audit: AuditTrail) => new LogOut(sessions, clock, audit),
    [TOKENS.SessionRepository, TOKENS.Clock, TOKENS.AuditTrail],
  );
  bind(TOKENS.ListSessions).toResolvedValue(
    (sessions: SessionRepository, clock: Clock) => new ListSessions(sessions, clock),
    [TOKENS.SessionRepository, TOKENS.Clock],
  );
  bind(TOKENS.EndSession).toResolvedValue(
    (sessions: SessionRepository, clock: Clock, audit: AuditTrail) => new EndSession(sessions, clock, audit),
    [TOKENS.SessionRepository, TOKENS.Clock, TOKENS.AuditTrail],
  );
  // Ended sessions are kept a refresh lifetime, so a replayed spent token is still recognised as reuse meanwhile.
  bind(TOKENS.HousekeepingJob).toResolvedValue(
    (sessions: SessionRepository, clock: Clock, config: Config) => new PurgeEndedSessions(sessions, clock, config.refreshTokenTtlMs),
    [TOKENS.SessionRepository, TOKENS.Clock, TOKENS.Config],
  );
  // The data export's sections of the account and its sessions.
  bind(TOKENS.ExportSection).toConstantValue(new ProfileExport());
  bind(TOKENS.ExportSection).toResolvedValue((sessions: SessionRepository, clock: Clock) => new SessionsExport(sessions, clock), [TOKENS.SessionRepository, TOKENS.Clock]);
});
