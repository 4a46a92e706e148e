import { ContainerModule } from 'inversify';
import type { SessionRouteDependencies } from '../../adapters/http/sessions/routes.js';
import {
  AuthenticateUser,
  EndSession,
  ListSessions,
  LogIn,
  LogOut,
  OpenSession,
  PurgeEndedSessions,
  RefreshSession,
  type AuditTrail,
  type Clock,
  type LoginThrottle,
  type MfaChallengeStore,
  type PasswordHasher,
  type SessionRepository,
  type TokenIssuer,
  type UserRepository,
} from '../../application/index.js';
import type { Config } from '../config.js';
import { loadRefreshTokenKey } from '../refresh-token-key.js';
import { token, TOKENS } from '../tokens.js';
import { httpMetrics } from './http-metrics.js';
import { SessionsExport } from '../../application/sessions/sessions-export.js';

/** What the log-in and session routes use, bound below. */
export const SESSION_ROUTES = token<SessionRouteDependencies>('SessionRoutes');
/** The purge of long-ended sessions, for the housekeeping round. */
export const SESSIONS_PURGE = token<PurgeEndedSessions>('PurgeEndedSessions');

const sessionPolicy = (config: Config) => ({ refreshTokenTtlMs: config.refreshTokenTtlMs });
const verified = (config: Config) => ({ requireVerifiedEmail: config.mail.requireVerifiedEmail });

/** Log-in, refresh, log-out, the session list, and the purge of ended sessions. */
export const sessionsModule = new ContainerModule(({ bind }) => {
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
  bind(SESSIONS_PURGE).toResolvedValue(
    (sessions: SessionRepository, clock: Clock, config: Config) => new PurgeEndedSessions(sessions, clock, config.refreshTokenTtlMs),
    [TOKENS.SessionRepository, TOKENS.Clock, TOKENS.Config],
  );
  bind(SESSION_ROUTES).toDynamicValue(async ({ getAsync }) => ({
    logIn: await getAsync(TOKENS.LogIn),
    refreshSession: await getAsync(TOKENS.RefreshSession),
    logOut: await getAsync(TOKENS.LogOut),
    listSessions: await getAsync(TOKENS.ListSessions),
    endSession: await getAsync(TOKENS.EndSession),
    reauthenticate: await getAsync(TOKENS.Reauthenticate),
    metrics: await httpMetrics(getAsync),
  }));
  // The data export's section of the sessions.
  bind(TOKENS.ExportSection).toResolvedValue((sessions: SessionRepository, clock: Clock) => new SessionsExport(sessions, clock), [TOKENS.SessionRepository, TOKENS.Clock]);
});
