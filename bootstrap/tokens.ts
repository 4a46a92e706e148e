import type { ServiceIdentifier } from 'inversify';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type {
  AuditLog,
  Housekeeping,
  HousekeepingJob,
  HousekeepingLock,
  AuditTrail,
  DeleteUser,
  EndUserSessions,
  EnsureFirstSuperuser,
  GetUser,
  ListAuditEvents,
  ListMyEvents,
  ListUserSessions,
  ListUsers,
  SetSuperuser,
  UpdateUser,
  AuthenticateUser,
  Clock,
  CompleteMfaLogIn,
  ConfirmTotp,
  DisableTotp,
  EnrolTotp,
  MfaChallengeStore,
  MfaNotifier,
  SecondFactorCheck,
  Totp,
  TotpFactorRepository,
  DeleteCurrentUser,
  EndSession,
  ListSessions,
  LoginThrottle,
  LogOut,
  OpenSession,
  RefreshSession,
  SessionRepository,
  LogIn,
  MailDeliveryWorker,
  MailOutbox,
  MailQueue,
  MailThrottle,
  MailWakeUp,
  OneTimeTokenStore,
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
  Reauthentication,
  CredentialsChanged,
  Reauthenticate,
  ResetUserSecondFactors,
  ResumeSession,
  ManageWebhooks,
  ExportMyData,
  ExportSection,
  WebhookDeliveryQueue,
  WebhookDeliveryWorker,
  WebhookEndpointRepository,
  WebhookTargetGuard,
} from '../application/index.js';
import type { FreshAuthenticationCheck, PasskeyProof, PasskeyRepository, Passkeys, WebAuthn, WebAuthnChallengeStore } from '../application/passkeys/index.js';
import type { InProcessMailWakeUp } from '../adapters/memory/in-process-mail-wake-up.js';
import type { BoundedPasswordHasher } from '../adapters/crypto/bounded-password-hasher.js';
import type { JoseKeySet } from '../adapters/crypto/jose-key-set.js';
import type { ReadinessCheck } from '../adapters/http/system/health-routes.js';
import type { DatabaseHandle } from '../adapters/kysely/database-handle.js';
import type { PrometheusMetrics } from '../adapters/prometheus/prometheus-metrics.js';
import type { Config } from './config.js';
import type { MailDelivery } from './mail-delivery.js';
import type { PublicAddress } from './public-address.js';
import type { BrowserSessions } from '../adapters/http/browser-session/browser-sessions.js';
import type { PagesDependencies } from '../adapters/http/pages/pages-routes.js';

/**
 * The one way to make a service identifier, so every identifier names its type. Inversify 8 then checks a
 * `toResolvedValue(factory, [tokens])` list against the factory's parameters, position by position, and
 * `get(token)` returns that type (`test/bootstrap/typed-tokens.spec.ts` keeps it so). A bare `Symbol()` or string
 * would fit any parameter, so the lint forbids them in bootstrap/.
 */
export function token<T>(name: string): ServiceIdentifier<T> {
  return Symbol(name) as ServiceIdentifier<T>;
}

/** Every binding of the container, in one place. */
export const TOKENS = {
  Config: token<Config>('Config'),
  PublicAddress: token<PublicAddress>('PublicAddress'),
  ResumeSession: token<ResumeSession>('ResumeSession'),
  BrowserSessions: token<BrowserSessions>('BrowserSessions'),
  Pages: token<PagesDependencies>('Pages'),
  Logger: token<Logger>('Logger'),
  Clock: token<Clock>('Clock'),
  UserRepository: token<UserRepository>('UserRepository'),
  PasswordHasher: token<PasswordHasher>('PasswordHasher'),
  BoundedPasswordHasher: token<BoundedPasswordHasher>('BoundedPasswordHasher'),
  PasswordPolicy: token<PasswordPolicy>('PasswordPolicy'),
  TokenIssuer: token<TokenIssuer>('TokenIssuer'),
  SigningKeys: token<JoseKeySet>('SigningKeys'),
  RateLimiter: token<RateLimiter>('RateLimiter'),
  DatabaseReadiness: token<ReadinessCheck>('DatabaseReadiness'),
  RateLimiterReadiness: token<ReadinessCheck>('RateLimiterReadiness'),
  RegisterUser: token<RegisterUser>('RegisterUser'),
  LogIn: token<LogIn>('LogIn'),
  AuthenticateUser: token<AuthenticateUser>('AuthenticateUser'),
  UpdateCurrentUser: token<UpdateCurrentUser>('UpdateCurrentUser'),
  DeleteCurrentUser: token<DeleteCurrentUser>('DeleteCurrentUser'),
  SessionRepository: token<SessionRepository>('SessionRepository'),
  LoginThrottle: token<LoginThrottle>('LoginThrottle'),
  OpenSession: token<OpenSession>('OpenSession'),
  RefreshSession: token<RefreshSession>('RefreshSession'),
  LogOut: token<LogOut>('LogOut'),
  ListSessions: token<ListSessions>('ListSessions'),
  EndSession: token<EndSession>('EndSession'),
  DatabaseHandle: token<DatabaseHandle>('DatabaseHandle'),
  HttpApp: token<Koa>('HttpApp'),
  Metrics: token<PrometheusMetrics>('Metrics'),
  ShutdownState: token<ShutdownState>('ShutdownState'),
  SecretBox: token<SecretBox>('SecretBox'),
  AuditLog: token<AuditLog>('AuditLog'),
  AuditTrail: token<AuditTrail>('AuditTrail'),
  ListUsers: token<ListUsers>('ListUsers'),
  GetUser: token<GetUser>('GetUser'),
  UpdateUser: token<UpdateUser>('UpdateUser'),
  DeleteUser: token<DeleteUser>('DeleteUser'),
  ListUserSessions: token<ListUserSessions>('ListUserSessions'),
  EndUserSessions: token<EndUserSessions>('EndUserSessions'),
  ListAuditEvents: token<ListAuditEvents>('ListAuditEvents'),
  ListMyEvents: token<ListMyEvents>('ListMyEvents'),
  EnsureFirstSuperuser: token<EnsureFirstSuperuser>('EnsureFirstSuperuser'),
  SetSuperuser: token<SetSuperuser>('SetSuperuser'),
  TotpFactorRepository: token<TotpFactorRepository>('TotpFactorRepository'),
  MfaChallengeStore: token<MfaChallengeStore>('MfaChallengeStore'),
  Totp: token<Totp>('Totp'),
  SecondFactorCheck: token<SecondFactorCheck>('SecondFactorCheck'),
  EnrolTotp: token<EnrolTotp>('EnrolTotp'),
  ConfirmTotp: token<ConfirmTotp>('ConfirmTotp'),
  DisableTotp: token<DisableTotp>('DisableTotp'),
  CompleteMfaLogIn: token<CompleteMfaLogIn>('CompleteMfaLogIn'),
  UnitOfWork: token<UnitOfWork>('UnitOfWork'),
  OneTimeTokenStore: token<OneTimeTokenStore>('OneTimeTokenStore'),
  MailOutbox: token<MailOutbox>('MailOutbox'),
  MailWakeUp: token<MailWakeUp>('MailWakeUp'),
  MailQueue: token<MailQueue>('MailQueue'),
  MailThrottle: token<MailThrottle>('MailThrottle'),
  MailDeliveryWorker: token<MailDeliveryWorker>('MailDeliveryWorker'),
  MailDelivery: token<MailDelivery>('MailDelivery'),
  RequestVerification: token<RequestVerification>('RequestVerification'),
  VerifyEmail: token<VerifyEmail>('VerifyEmail'),
  RequestPasswordReset: token<RequestPasswordReset>('RequestPasswordReset'),
  ResetPassword: token<ResetPassword>('ResetPassword'),
  RevertEmail: token<RevertEmail>('RevertEmail'),
  Reauthentication: token<Reauthentication>('Reauthentication'),
  CredentialsChanged: token<CredentialsChanged>('CredentialsChanged'),
  Reauthenticate: token<Reauthenticate>('Reauthenticate'),
  ResetUserSecondFactors: token<ResetUserSecondFactors>('ResetUserSecondFactors'),
  MfaNotifier: token<MfaNotifier>('MfaNotifier'),
  /** Bound once per purge, by the module of the feature that owns the table: the housekeeping round runs them all. */
  HousekeepingJob: token<HousekeepingJob>('HousekeepingJob'),
  HousekeepingLock: token<HousekeepingLock>('HousekeepingLock'),
  Housekeeping: token<Housekeeping>('Housekeeping'),
  PasskeyRepository: token<PasskeyRepository>('PasskeyRepository'),
  WebAuthnChallengeStore: token<WebAuthnChallengeStore>('WebAuthnChallengeStore'),
  WebAuthn: token<WebAuthn>('WebAuthn'),
  PasskeyFreshness: token<FreshAuthenticationCheck>('PasskeyFreshness'),
  PasskeyProof: token<PasskeyProof>('PasskeyProof'),
  Passkeys: token<Passkeys>('Passkeys'),
  WebhookEndpointRepository: token<WebhookEndpointRepository>('WebhookEndpointRepository'),
  WebhookDeliveryQueue: token<WebhookDeliveryQueue>('WebhookDeliveryQueue'),
  /** Wakes this process's webhook worker after a commit that queued deliveries. */
  WebhookWakeUp: token<InProcessMailWakeUp>('WebhookWakeUp'),
  WebhookTargetGuard: token<WebhookTargetGuard>('WebhookTargetGuard'),
  ManageWebhooks: token<ManageWebhooks>('ManageWebhooks'),
  /** Undefined on an instance that delivers none (none today: every instance shares the queue). */
  WebhookDeliveryWorker: token<WebhookDeliveryWorker>('WebhookDeliveryWorker'),
  /** Multi-bound: each feature that keeps something about a user binds its section of the data export. */
  ExportSection: token<ExportSection>('ExportSection'),
  ExportMyData: token<ExportMyData>('ExportMyData'),
} as const;

/** Flipped when SIGTERM arrives, so readiness turns 503 before the server stops accepting. */
export interface ShutdownState {
  shuttingDown: boolean;
}
