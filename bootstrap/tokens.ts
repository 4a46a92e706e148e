import type { ServiceIdentifier } from 'inversify';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type {
  AuthenticateUser,
  Clock,
  DeleteCurrentUser,
  EndSession,
  ListSessions,
  LoginThrottle,
  LogOut,
  OpenSession,
  PurgeEndedSessions,
  RefreshSession,
  SessionRepository,
  LogIn,
  MailDeliveryWorker,
  MailOutbox,
  MailQueue,
  MailThrottle,
  MailWakeUp,
  OneTimeTokenStore,
  PurgeEndedOneTimeTokens,
  RequestPasswordReset,
  RequestVerification,
  ResetPassword,
  RevertEmail,
  UnitOfWork,
  VerifyEmail,
  PasswordHasher,
  PasswordPolicy,
  RateLimiter,
  RegisterUser,
  SecretBox,
  TokenIssuer,
  UpdateCurrentUser,
  UserRepository,
} from '../application/index.js';
import type { BoundedPasswordHasher } from '../adapters/crypto/bounded-password-hasher.js';
import type { JoseKeySet } from '../adapters/crypto/jose-key-set.js';
import type { ReadinessCheck } from '../adapters/http/routes/health-routes.js';
import type { DatabaseHandle } from '../adapters/kysely/database-handle.js';
import type { PrometheusMetrics } from '../adapters/prometheus/prometheus-metrics.js';
import type { Config } from './config.js';
import type { MailDelivery } from './mail-delivery.js';

/** Every binding of the container, in one place. */
export const TOKENS = {
  Config: Symbol('Config') as ServiceIdentifier<Config>,
  Logger: Symbol('Logger') as ServiceIdentifier<Logger>,
  Clock: Symbol('Clock') as ServiceIdentifier<Clock>,
  UserRepository: Symbol('UserRepository') as ServiceIdentifier<UserRepository>,
  PasswordHasher: Symbol('PasswordHasher') as ServiceIdentifier<PasswordHasher>,
  BoundedPasswordHasher: Symbol('BoundedPasswordHasher') as ServiceIdentifier<BoundedPasswordHasher>,
  PasswordPolicy: Symbol('PasswordPolicy') as ServiceIdentifier<PasswordPolicy>,
  TokenIssuer: Symbol('TokenIssuer') as ServiceIdentifier<TokenIssuer>,
  SecretBox: Symbol('SecretBox') as ServiceIdentifier<SecretBox>,
  SigningKeys: Symbol('SigningKeys') as ServiceIdentifier<JoseKeySet>,
  RateLimiter: Symbol('RateLimiter') as ServiceIdentifier<RateLimiter>,
  DatabaseReadiness: Symbol('DatabaseReadiness') as ServiceIdentifier<ReadinessCheck>,
  RateLimiterReadiness: Symbol('RateLimiterReadiness') as ServiceIdentifier<ReadinessCheck>,
  RegisterUser: Symbol('RegisterUser') as ServiceIdentifier<RegisterUser>,
  LogIn: Symbol('LogIn') as ServiceIdentifier<LogIn>,
  AuthenticateUser: Symbol('AuthenticateUser') as ServiceIdentifier<AuthenticateUser>,
  UpdateCurrentUser: Symbol('UpdateCurrentUser') as ServiceIdentifier<UpdateCurrentUser>,
  DeleteCurrentUser: Symbol('DeleteCurrentUser') as ServiceIdentifier<DeleteCurrentUser>,
  SessionRepository: Symbol('SessionRepository') as ServiceIdentifier<SessionRepository>,
  LoginThrottle: Symbol('LoginThrottle') as ServiceIdentifier<LoginThrottle>,
  OpenSession: Symbol('OpenSession') as ServiceIdentifier<OpenSession>,
  RefreshSession: Symbol('RefreshSession') as ServiceIdentifier<RefreshSession>,
  LogOut: Symbol('LogOut') as ServiceIdentifier<LogOut>,
  ListSessions: Symbol('ListSessions') as ServiceIdentifier<ListSessions>,
  EndSession: Symbol('EndSession') as ServiceIdentifier<EndSession>,
  PurgeEndedSessions: Symbol('PurgeEndedSessions') as ServiceIdentifier<PurgeEndedSessions>,
  DatabaseHandle: Symbol('DatabaseHandle') as ServiceIdentifier<DatabaseHandle>,
  HttpApp: Symbol('HttpApp') as ServiceIdentifier<Koa>,
  Metrics: Symbol('Metrics') as ServiceIdentifier<PrometheusMetrics>,
  ShutdownState: Symbol('ShutdownState') as ServiceIdentifier<ShutdownState>,
  UnitOfWork: Symbol('UnitOfWork') as ServiceIdentifier<UnitOfWork>,
  OneTimeTokenStore: Symbol('OneTimeTokenStore') as ServiceIdentifier<OneTimeTokenStore>,
  MailOutbox: Symbol('MailOutbox') as ServiceIdentifier<MailOutbox>,
  MailWakeUp: Symbol('MailWakeUp') as ServiceIdentifier<MailWakeUp>,
  MailQueue: Symbol('MailQueue') as ServiceIdentifier<MailQueue>,
  MailThrottle: Symbol('MailThrottle') as ServiceIdentifier<MailThrottle>,
  MailDeliveryWorker: Symbol('MailDeliveryWorker') as ServiceIdentifier<MailDeliveryWorker>,
  MailDelivery: Symbol('MailDelivery') as ServiceIdentifier<MailDelivery>,
  RequestVerification: Symbol('RequestVerification') as ServiceIdentifier<RequestVerification>,
  VerifyEmail: Symbol('VerifyEmail') as ServiceIdentifier<VerifyEmail>,
  RequestPasswordReset: Symbol('RequestPasswordReset') as ServiceIdentifier<RequestPasswordReset>,
  ResetPassword: Symbol('ResetPassword') as ServiceIdentifier<ResetPassword>,
  RevertEmail: Symbol('RevertEmail') as ServiceIdentifier<RevertEmail>,
  PurgeEndedOneTimeTokens: Symbol('PurgeEndedOneTimeTokens') as ServiceIdentifier<PurgeEndedOneTimeTokens>,
} as const;

/** Flipped when SIGTERM arrives, so readiness turns 503 before the server stops accepting. */
export interface ShutdownState {
  shuttingDown: boolean;
}
