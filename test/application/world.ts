import { AesGcmSecretBox } from '../../adapters/crypto/aes-gcm-secret-box.js';
import { InMemoryMailOutbox } from '../../adapters/memory/in-memory-mail-outbox.js';
import { InMemoryOneTimeTokenStore } from '../../adapters/memory/in-memory-one-time-token-store.js';
import { InMemoryRateLimiter } from '../../adapters/memory/in-memory-rate-limiter.js';
import { InMemoryUnitOfWork } from '../../adapters/memory/in-memory-unit-of-work.js';
import { InMemorySessionRepository } from '../../adapters/memory/in-memory-session-repository.js';
import { InMemoryUserRepository } from '../../adapters/memory/in-memory-user-repository.js';
import {
  AuthenticateUser,
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
  RequestPasswordReset,
  RequestVerification,
  ResetPassword,
  RevertEmail,
  UpdateCurrentUser,
  VerifyEmail,
} from '../../application/index.js';
import { CountingHasher, PlainTokenIssuer } from '../support/fakes.js';
import { FakeClock } from '../support/fake-clock.js';

export const SESSION_POLICY = { refreshTokenTtlMs: 14 * 86_400_000 };
export const LOGIN_LIMITS = { perAccount: { limit: 10, windowMs: 5 * 60_000 }, perAccountAddress: { limit: 5, windowMs: 15 * 60_000 } };
export const MAIL_LIMITS = { perAddress: { limit: 5, windowMs: 3_600_000 }, perClient: { limit: 30, windowMs: 3_600_000 } };
export const ORIGIN = { ip: '192.0.2.10', userAgent: 'test-agent/1.0' };

export interface WorldOptions {
  readonly requireVerifiedEmail?: boolean;
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
  const oneTimeTokens = new InMemoryOneTimeTokenStore();
  const outbox = new InMemoryMailOutbox();
  const box = new AesGcmSecretBox(new Uint8Array(32).fill(7));
  const unitOfWork = new InMemoryUnitOfWork({ users, sessions, oneTimeTokens, outbox });
  const mail = new MailQueue(box, clock);
  const mailThrottle = new MailThrottle(new InMemoryRateLimiter(MAIL_LIMITS.perAddress, clock), new InMemoryRateLimiter(MAIL_LIMITS.perClient, clock));
  return {
    users,
    sessions,
    hasher,
    tokens,
    clock,
    oneTimeTokens,
    outbox,
    box,
    unitOfWork,
    register: new RegisterUser(unitOfWork, hasher, policy, clock, mail, mailThrottle, { requireVerifiedEmail }),
    logIn: new LogIn(users, hasher, openSession, throttle, { requireVerifiedEmail }),
    refresh: new RefreshSession(sessions, tokens, clock, SESSION_POLICY),
    authenticate: new AuthenticateUser(tokens, sessions, clock),
    update: new UpdateCurrentUser(unitOfWork, hasher, policy, clock, mail, { requireVerifiedEmail }),
    requestVerification: new RequestVerification(unitOfWork, mail, mailThrottle),
    verifyEmail: new VerifyEmail(unitOfWork, mail, clock),
    requestPasswordReset: new RequestPasswordReset(unitOfWork, mail, mailThrottle, clock),
    resetPassword: new ResetPassword(unitOfWork, hasher, policy, mail, clock),
    revertEmail: new RevertEmail(unitOfWork, clock),
    remove: new DeleteCurrentUser(users),
    logOut: new LogOut(sessions, clock),
    listSessions: new ListSessions(sessions, clock),
    endSession: new EndSession(sessions, clock),
  };
}

export const ALICE = { email: 'Alice@Example.com', username: 'Alice', password: 'a long enough secret' };
