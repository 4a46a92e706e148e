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
  UpdateCurrentUser,
  type AuditTrail,
  type Clock,
  type LoginThrottle,
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

/** The use cases carry no decorators: they are plain classes, constructed here from their ports. */
export const useCaseModule = new ContainerModule(({ bind }) => {
  const sessionPolicy = (config: Config) => ({ refreshTokenTtlMs: config.refreshTokenTtlMs });

  bind(TOKENS.RegisterUser).toResolvedValue(
    (users: UserRepository, hasher: PasswordHasher, policy: PasswordPolicy, clock: Clock, audit: AuditTrail) => new RegisterUser(users, hasher, policy, clock, audit),
    [TOKENS.UserRepository, TOKENS.PasswordHasher, TOKENS.PasswordPolicy, TOKENS.Clock, TOKENS.AuditTrail],
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
    ) => new LogIn(users, hasher, openSession, throttle, challenges, clock, audit),
    [TOKENS.UserRepository, TOKENS.PasswordHasher, TOKENS.OpenSession, TOKENS.LoginThrottle, TOKENS.MfaChallengeStore, TOKENS.Clock, TOKENS.AuditTrail],
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
    (users: UserRepository, hasher: PasswordHasher, policy: PasswordPolicy, clock: Clock, sessions: SessionRepository, audit: AuditTrail) =>
      new UpdateCurrentUser(users, hasher, policy, clock, sessions, audit),
    [TOKENS.UserRepository, TOKENS.PasswordHasher, TOKENS.PasswordPolicy, TOKENS.Clock, TOKENS.SessionRepository, TOKENS.AuditTrail],
  );
  bind(TOKENS.DeleteCurrentUser).toResolvedValue(
    (users: UserRepository, audit: AuditTrail) => new DeleteCurrentUser(users, audit),
    [TOKENS.UserRepository, TOKENS.AuditTrail],
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
  bind(TOKENS.PurgeEndedSessions).toResolvedValue(
    (sessions: SessionRepository, clock: Clock, config: Config) => new PurgeEndedSessions(sessions, clock, config.refreshTokenTtlMs),
    [TOKENS.SessionRepository, TOKENS.Clock, TOKENS.Config],
  );
});
