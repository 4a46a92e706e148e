import type { InMemoryAuditLog } from '../../adapters/memory/in-memory-audit-log.js';
import type { InMemoryMailOutbox } from '../../adapters/memory/in-memory-mail-outbox.js';
import type { InMemoryMfaChallengeStore } from '../../adapters/memory/in-memory-mfa-challenge-store.js';
import type { InMemoryOneTimeTokenStore } from '../../adapters/memory/in-memory-one-time-token-store.js';
import type { InMemorySessionRepository } from '../../adapters/memory/in-memory-session-repository.js';
import type { InMemoryTotpFactorRepository } from '../../adapters/memory/in-memory-totp-factor-repository.js';
import type { InMemoryUnitOfWork } from '../../adapters/memory/in-memory-unit-of-work.js';
import type { InMemoryUserRepository } from '../../adapters/memory/in-memory-user-repository.js';
import { InProcessMailWakeUp } from '../../adapters/memory/in-process-mail-wake-up.js';
import { MailRequestWorker, ResolveMailRequest, type MailRequestInput, type MailRequestObserver } from '../../application/index.js';
import { TOKENS } from '../../bootstrap/tokens.js';
import { testContainer } from './test-container.js';

/** The configuration defaults the use cases run with here, for tests that step a clock past them. */
export const SESSION_POLICY = { refreshTokenTtlMs: 14 * 86_400_000, refreshReuseGraceMs: 10_000 };
export const LOGIN_LIMITS = { perAccount: { limit: 10, windowMs: 5 * 60_000 }, perAccountAddress: { limit: 5, windowMs: 15 * 60_000 } };
export const MAIL_LIMITS = { perAddress: { limit: 5, windowMs: 3_600_000 }, perClient: { limit: 30, windowMs: 3_600_000 } };
export const ORIGIN = { ip: '192.0.2.10', userAgent: 'test-agent/1.0' };

export interface WorldOptions {
  readonly requireVerifiedEmail?: boolean;
  readonly mfaMaxConsecutiveFailures?: number;
}

export type World = Awaited<ReturnType<typeof useCaseWorld>>;

/**
 * A fresh world, one per test: the service's container over the memory stores (see `testContainer`), with the use
 * cases under the short names the specs use and the stores and fakes beside them.
 */
export async function useCaseWorld(options: WorldOptions = {}) {
  const { container, fakes } = await testContainer({
    env: {
      REQUIRE_VERIFIED_EMAIL: String(options.requireVerifiedEmail ?? false),
      ...(options.mfaMaxConsecutiveFailures === undefined ? {} : { MFA_MAX_CONSECUTIVE_FAILURES: String(options.mfaMaxConsecutiveFailures) }),
    },
  });
  const get = <T>(token: Parameters<typeof container.getAsync<T>>[0]) => container.getAsync<T>(token);
  const clock = await get(TOKENS.Clock);
  const requestWorker = new MailRequestWorker(
    await get(TOKENS.MailOutbox),
    new ResolveMailRequest(await get(TOKENS.UnitOfWork), await get(TOKENS.MailQueue), clock),
    clock,
    new InProcessMailWakeUp(),
    SILENT_REQUEST_OBSERVER,
  );
  // The route stores the request and the request worker resolves it; here the worker's pass follows each call.
  const resolved = (useCase: { execute(input: MailRequestInput): Promise<void> }) => ({
    async execute(input: MailRequestInput): Promise<void> {
      await useCase.execute(input);
      await requestWorker.resolveDue();
    },
  });
  return {
    container,
    ...fakes,
    secrets: fakes.box,
    users: (await get(TOKENS.UserRepository)) as InMemoryUserRepository,
    sessions: (await get(TOKENS.SessionRepository)) as InMemorySessionRepository,
    factors: (await get(TOKENS.TotpFactorRepository)) as InMemoryTotpFactorRepository,
    mfaChallenges: (await get(TOKENS.MfaChallengeStore)) as InMemoryMfaChallengeStore,
    auditLog: (await get(TOKENS.AuditLog)) as InMemoryAuditLog,
    oneTimeTokens: (await get(TOKENS.OneTimeTokenStore)) as InMemoryOneTimeTokenStore,
    outbox: (await get(TOKENS.MailOutbox)) as InMemoryMailOutbox,
    unitOfWork: (await get(TOKENS.UnitOfWork)) as InMemoryUnitOfWork,
    totp: await get(TOKENS.Totp),
    throttle: await get(TOKENS.LoginThrottle),
    secondFactor: await get(TOKENS.SecondFactorCheck),
    mail: await get(TOKENS.MailQueue),
    register: await get(TOKENS.RegisterUser),
    logIn: await get(TOKENS.LogIn),
    reauthentication: await get(TOKENS.Reauthentication),
    reauthenticate: await get(TOKENS.Reauthenticate),
    resetUserSecondFactors: await get(TOKENS.ResetUserSecondFactors),
    enrolTotp: await get(TOKENS.EnrolTotp),
    confirmTotp: await get(TOKENS.ConfirmTotp),
    disableTotp: await get(TOKENS.DisableTotp),
    completeMfaLogIn: await get(TOKENS.CompleteMfaLogIn),
    refresh: await get(TOKENS.RefreshSession),
    authenticate: await get(TOKENS.AuthenticateUser),
    update: await get(TOKENS.UpdateCurrentUser),
    requestVerification: resolved(await get(TOKENS.RequestVerification)),
    verifyEmail: await get(TOKENS.VerifyEmail),
    requestPasswordReset: resolved(await get(TOKENS.RequestPasswordReset)),
    storeVerificationRequest: await get(TOKENS.RequestVerification),
    storePasswordResetRequest: await get(TOKENS.RequestPasswordReset),
    requestWorker,
    resetPassword: await get(TOKENS.ResetPassword),
    revertEmail: await get(TOKENS.RevertEmail),
    remove: await get(TOKENS.DeleteCurrentUser),
    logOut: await get(TOKENS.LogOut),
    listSessions: await get(TOKENS.ListSessions),
    endSession: await get(TOKENS.EndSession),
    listUsers: await get(TOKENS.ListUsers),
    getUser: await get(TOKENS.GetUser),
    updateUser: await get(TOKENS.UpdateUser),
    deleteUser: await get(TOKENS.DeleteUser),
    listUserSessions: await get(TOKENS.ListUserSessions),
    endUserSessions: await get(TOKENS.EndUserSessions),
    listAuditEvents: await get(TOKENS.ListAuditEvents),
    listMyEvents: await get(TOKENS.ListMyEvents),
    ensureFirstSuperuser: await get(TOKENS.EnsureFirstSuperuser),
    setSuperuser: await get(TOKENS.SetSuperuser),
  };
}

export const ALICE = { email: 'Alice@Example.com', username: 'Alice', password: 'a long enough secret' };

const SILENT_REQUEST_OBSERVER: MailRequestObserver = {
  attempted() {},
  delivered() {},
  failed() {},
  failing() {},
  recovered() {},
  passFailed() {},
};
