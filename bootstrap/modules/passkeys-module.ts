import { ContainerModule } from 'inversify';
import type { DatabaseHandle } from '../../adapters/kysely/database-handle.js';
import { KyselyPasskeyRepository } from '../../adapters/kysely/kysely-passkey-repository.js';
import { KyselyWebAuthnChallengeStore } from '../../adapters/kysely/kysely-web-authn-challenge-store.js';
import { InMemoryPasskeyRepository } from '../../adapters/memory/in-memory-passkey-repository.js';
import { InMemoryUserRepository } from '../../adapters/memory/in-memory-user-repository.js';
import { InMemoryWebAuthnChallengeStore } from '../../adapters/memory/in-memory-web-authn-challenge-store.js';
import { SimpleWebAuthnWebAuthn } from '../../adapters/simplewebauthn/simplewebauthn-web-authn.js';
import {
  AddPasskey,
  ListPasskeys,
  LogInWithPasskey,
  PasskeyLogInOptions,
  PasskeyNotices,
  PasskeyProof,
  PasskeyRegistrationOptions,
  PurgeExpiredWebAuthnChallenges,
  RemovePasskey,
  RenamePasskey,
  SessionAgeFreshness,
  UnavailableWebAuthn,
  type AuditTrail,
  type Clock,
  type FreshAuthenticationCheck,
  type MailQueue,
  type OpenSession,
  type PasskeyRepository,
  type UnitOfWork,
  type UserRepository,
  type WebAuthn,
  type WebAuthnChallengeStore,
} from '../../application/index.js';
import type { Config } from '../config.js';
import { TOKENS } from '../tokens.js';
import { PasskeysExport } from '../../application/passkeys/passkeys-export.js';

/** RFC 9470's default `max_age` for sensitive actions, until the step-up feature makes it REAUTH_MAX_AGE_SECONDS. */
const FRESH_AUTHENTICATION_MAX_AGE_MS = 300_000;

/** `DATABASE_URL=memory`: passkeys and their challenges vanish with the process. */
export const memoryPasskeyStoreModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.PasskeyRepository).toResolvedValue(
    (users: UserRepository) => {
      // The memory passkeys follow a user's deletion through the memory user store, as the database's cascade does.
      if (!(users instanceof InMemoryUserRepository)) throw new Error('memoryPasskeyStoreModule needs the memory user store');
      return new InMemoryPasskeyRepository(users);
    },
    [TOKENS.UserRepository],
  );
  bind(TOKENS.WebAuthnChallengeStore).toConstantValue(new InMemoryWebAuthnChallengeStore());
});

/** PostgreSQL or PGlite, in the database the users live in. */
export const kyselyPasskeyStoreModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.PasskeyRepository).toResolvedValue((handle: DatabaseHandle) => new KyselyPasskeyRepository(handle.db), [TOKENS.DatabaseHandle]);
  bind(TOKENS.WebAuthnChallengeStore).toResolvedValue((handle: DatabaseHandle) => new KyselyWebAuthnChallengeStore(handle.db), [TOKENS.DatabaseHandle]);
});

/** Passkeys (WebAuthn): the ceremonies with @simplewebauthn/server, the use cases, and the one freshness rule they use. */
export const passkeysModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.WebAuthn).toResolvedValue(
    (config: Config): WebAuthn =>
      config.webauthn.rpId === undefined
        ? new UnavailableWebAuthn()
        : new SimpleWebAuthnWebAuthn({ id: config.webauthn.rpId, name: config.jwtIssuer, origins: config.webauthn.origins }),
    [TOKENS.Config],
  );
  bind(TOKENS.ExportSection).toResolvedValue((passkeys: PasskeyRepository) => new PasskeysExport(passkeys), [TOKENS.PasskeyRepository]);
  // The single place sensitive passkey actions get their freshness rule: the step-up feature's check goes here.
  bind(TOKENS.PasskeyFreshness).toResolvedValue((clock: Clock) => new SessionAgeFreshness(clock, FRESH_AUTHENTICATION_MAX_AGE_MS), [TOKENS.Clock]);
  bind(TOKENS.PasskeyProof).toResolvedValue(
    (passkeys: PasskeyRepository, challenges: WebAuthnChallengeStore, webAuthn: WebAuthn, clock: Clock, audit: AuditTrail) =>
      new PasskeyProof(passkeys, challenges, webAuthn, clock, audit),
    [TOKENS.PasskeyRepository, TOKENS.WebAuthnChallengeStore, TOKENS.WebAuthn, TOKENS.Clock, TOKENS.AuditTrail],
  );
  bind(TOKENS.HousekeepingJob).toResolvedValue(
    (challenges: WebAuthnChallengeStore, clock: Clock) => new PurgeExpiredWebAuthnChallenges(challenges, clock),
    [TOKENS.WebAuthnChallengeStore, TOKENS.Clock],
  );
  // Many dependencies: resolved by name rather than by position, so adding one cannot shift the others.
  bind(TOKENS.Passkeys).toDynamicValue(async ({ getAsync }) => {
    const config = await getAsync(TOKENS.Config);
    const passkeys = await getAsync(TOKENS.PasskeyRepository);
    const challenges = await getAsync(TOKENS.WebAuthnChallengeStore);
    const webAuthn = await getAsync(TOKENS.WebAuthn);
    const fresh: FreshAuthenticationCheck = await getAsync(TOKENS.PasskeyFreshness);
    const clock = await getAsync(TOKENS.Clock);
    const audit = await getAsync(TOKENS.AuditTrail);
    const unitOfWork: UnitOfWork = await getAsync(TOKENS.UnitOfWork);
    const mail: MailQueue = await getAsync(TOKENS.MailQueue);
    const openSession: OpenSession = await getAsync(TOKENS.OpenSession);
    const notices = new PasskeyNotices(unitOfWork, audit, mail);
    const proof = await getAsync(TOKENS.PasskeyProof);
    return {
      enabled: config.webauthn.rpId !== undefined,
      registrationOptions: new PasskeyRegistrationOptions(passkeys, challenges, webAuthn, fresh, clock),
      add: new AddPasskey(passkeys, challenges, webAuthn, fresh, notices, clock),
      list: new ListPasskeys(passkeys),
      rename: new RenamePasskey(passkeys),
      remove: new RemovePasskey(passkeys, fresh, notices),
      logInOptions: new PasskeyLogInOptions(challenges, webAuthn, clock),
      logIn: new LogInWithPasskey(proof, await getAsync(TOKENS.UserRepository), openSession, audit, { requireVerifiedEmail: config.mail.requireVerifiedEmail }),
      proof,
    };
  });
});
