import { createSecretKey, randomBytes } from 'node:crypto';
import { AesGcmSecretBox } from '../../adapters/crypto/aes-gcm-secret-box.js';
import { InMemoryMfaChallengeStore } from '../../adapters/memory/in-memory-mfa-challenge-store.js';
import { InMemoryTotpFactorRepository } from '../../adapters/memory/in-memory-totp-factor-repository.js';
import { OtpauthTotp } from '../../adapters/otpauth/otpauth-totp.js';
import { InMemoryMailOutbox } from '../../adapters/memory/in-memory-mail-outbox.js';
import { InMemoryOneTimeTokenStore } from '../../adapters/memory/in-memory-one-time-token-store.js';
import { InMemoryRateLimiter } from '../../adapters/memory/in-memory-rate-limiter.js';
import { InMemoryUnitOfWork } from '../../adapters/memory/in-memory-unit-of-work.js';
import { InMemorySessionRepository } from '../../adapters/memory/in-memory-session-repository.js';
import { InMemoryUserRepository } from '../../adapters/memory/in-memory-user-repository.js';
import { InMemoryAuditLog } from '../../adapters/memory/in-memory-audit-log.js';
import { InProcessMailWakeUp } from '../../adapters/memory/in-process-mail-wake-up.js';
import {
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
  CompleteMfaLogIn,
  ConfirmTotp,
  DisableTotp,
  EnrolTotp,
  SecondFactorCheck,
  DeleteCurrentUser,
  EndSession,
  ListSessions,
  LogIn,
  LoginThrottle,
  LogOut,
  MailQueue,
  MailThrottle,
  OpenSession,
  PasswordPolicy,
  RefreshSession,
  RegisterUser,
  MailRequestWorker,
  RequestPasswordReset,
  RequestVerification,
  ResolveMailRequest,
  type MailRequestInput,
  type MailRequestObserver,
  ResetPassword,
  RevertEmail,
  UpdateCurrentUser,
  VerifyEmail,
  Reauthentication,
  CredentialsChanged,
  Reauthenticate,
  ResetUserSecondFactors,
  totpRemover,
  totpCodeVerifier,
} from '../../application/index.js';
import { CountingHasher, PlainTokenIssuer, RecordingMfaNotifier } from '../support/fakes.js';
import { FakeClock } from '../support/fake-clock.js';

export const SESSION_POLICY = { refreshTokenTtlMs: 14 * 86_400_000, refreshReuseGraceMs: 10_000 };
export const LOGIN_LIMITS = { perAccount: { limit: 10, windowMs: 5 * 60_000 }, perAccountAddress: { limit: 5, windowMs: 15 * 60_000 } };
export const MAIL_LIMITS = { perAddress: { limit: 5, windowMs: 3_600_000 }, perClient: { limit: 30, windowMs: 3_600_000 } };
export const ORIGIN = { ip: '192.0.2.10', userAgent: 'test-agent/1.0' };

export interface WorldOptions {
  readonly requireVerifiedEmail?: boolean;
  readonly mfaMaxConsecutiveFailures?: number;
}

/** A fresh world of use cases over in-memory adapters, one per test. */
export function useCaseWorld(options: WorldOptions = {}) {
  const requireVerifiedEmail = options.requireVerifiedEmail ?? false;
  const users = new InMemoryUserRepository();
  const sessions = new InMemorySessionRepository(users);
  const hasher = new CountingHasher();
  const tokens = new PlainTokenIssuer();
  const clock = new FakeClock();
  const policy = new PasswordPolicy(new Set(['password123', 'qwertyuiop']));
  const throttle = new LoginThrottle(
    new InMemoryRateLimiter(LOGIN_LIMITS.perAccount, clock),
    new InMemoryRateLimiter(LOGIN_LIMITS.perAccountAddress, clock),
  );
  const openSession = new OpenSession(sessions, tokens, clock, SESSION_POLICY);
  const auditLog = new InMemoryAuditLog();
  const audit = new AuditTrail(auditLog, clock);
  const factors = new InMemoryTotpFactorRepository(users);
  const mfaChallenges = new InMemoryMfaChallengeStore();
  const totp = new OtpauthTotp('auth-service');
  const secrets = new AesGcmSecretBox(randomBytes(32));
  const notifier = new RecordingMfaNotifier();
  const secondFactor = new SecondFactorCheck(factors, totp, secrets, clock, { maxConsecutiveFailures: options.mfaMaxConsecutiveFailures ?? 100 }, notifier);
  const oneTimeTokens = new InMemoryOneTimeTokenStore();
  const outbox = new InMemoryMailOutbox();
  const box = new AesGcmSecretBox(new Uint8Array(32).fill(7));
  const unitOfWork = new InMemoryUnitOfWork({ users, sessions, oneTimeTokens, outbox, audit: auditLog });
  const mail = new MailQueue(box, clock);
  const reauthentication = new Reauthentication(hasher, throttle, clock, { maxAgeSeconds: 300 }, totpCodeVerifier(factors, secondFactor));
  const credentialsChanged = new CredentialsChanged(mail, audit, clock, [totpRemover(factors)]);
  const mailThrottle = new MailThrottle(new InMemoryRateLimiter(MAIL_LIMITS.perAddress, clock), new InMemoryRateLimiter(MAIL_LIMITS.perClient, clock));
  const requestWorker = new MailRequestWorker(outbox, new ResolveMailRequest(unitOfWork, mail, clock), clock, new InProcessMailWakeUp(), SILENT_REQUEST_OBSERVER);
  const storeVerificationRequest = new RequestVerification(unitOfWork, mail, mailThrottle);
  const storePasswordResetRequest = new RequestPasswordReset(unitOfWork, mail, mailThrottle);
  // The route stores the request and the request worker resolves it; here the worker's pass follows each call.
  const resolved = (useCase: { execute(input: MailRequestInput): Promise<void> }) => ({
    async execute(input: MailRequestInput): Promise<void> {
      await useCase.execute(input);
      await requestWorker.resolveDue();
    },
  });
  return {
    requestWorker,
    storeVerificationRequest,
    storePasswordResetRequest,
    factors,
    mfaChallenges,
    totp,
    secrets,
    notifier,
    users,
    auditLog,
    sessions,
    hasher,
    tokens,
    clock,
    oneTimeTokens,
    outbox,
    box,
    unitOfWork,
    register: new RegisterUser(unitOfWork, hasher, policy, clock, mail, mailThrottle, audit, { requireVerifiedEmail }),
    logIn: new LogIn(users, hasher, openSession, throttle, mfaChallenges, clock, audit, { requireVerifiedEmail }),
    reauthentication,
    reauthenticate: new Reauthenticate(reauthentication, sessions, clock, audit),
    resetUserSecondFactors: new ResetUserSecondFactors(unitOfWork, reauthentication, credentialsChanged),
    enrolTotp: new EnrolTotp(factors, totp, secrets, clock, reauthentication),
    confirmTotp: new ConfirmTotp(factors, totp, secrets, clock, notifier),
    disableTotp: new DisableTotp(factors, reauthentication, notifier),
    completeMfaLogIn: new CompleteMfaLogIn(mfaChallenges, users, factors, secondFactor, openSession, throttle, clock, audit, notifier),
    refresh: new RefreshSession(sessions, tokens, clock, SESSION_POLICY, createSecretKey(randomBytes(32)), audit),
    authenticate: new AuthenticateUser(tokens, sessions, clock),
    update: new UpdateCurrentUser(unitOfWork, hasher, policy, clock, mail, reauthentication, credentialsChanged, { requireVerifiedEmail }),
    requestVerification: resolved(storeVerificationRequest),
    verifyEmail: new VerifyEmail(unitOfWork, mail, clock, audit),
    requestPasswordReset: resolved(storePasswordResetRequest),
    resetPassword: new ResetPassword(unitOfWork, hasher, policy, clock, credentialsChanged),
    revertEmail: new RevertEmail(unitOfWork, clock, mail, credentialsChanged),
    remove: new DeleteCurrentUser(unitOfWork, audit, reauthentication),
    logOut: new LogOut(sessions, clock, audit),
    listSessions: new ListSessions(sessions, clock),
    endSession: new EndSession(sessions, clock, audit),
    listUsers: new ListUsers(users),
    getUser: new GetUser(users),
    updateUser: new UpdateUser(unitOfWork, hasher, policy, clock, audit, reauthentication, credentialsChanged),
    deleteUser: new DeleteUser(unitOfWork, audit, reauthentication),
    listUserSessions: new ListUserSessions(users, sessions, clock),
    endUserSessions: new EndUserSessions(users, sessions, clock, audit, reauthentication),
    listAuditEvents: new ListAuditEvents(auditLog),
    listMyEvents: new ListMyEvents(auditLog),
    ensureFirstSuperuser: new EnsureFirstSuperuser(users, hasher, policy, clock, audit),
    setSuperuser: new SetSuperuser(users, clock, audit),
  };
}

const SILENT_REQUEST_OBSERVER: MailRequestObserver = {
  attempted() {},
  delivered() {},
  failed() {},
  failing() {},
  recovered() {},
  passFailed() {},
};

export const ALICE = { email: 'Alice@Example.com', username: 'Alice', password: 'a long enough secret' };
