import type { Session, SessionOrigin, User } from '../../domain/index.js';
import type { PasskeyAssertionVerifier, ReauthenticationProof } from '../core/reauthentication.js';
import type { SecondFactorRemover } from '../core/credentials-changed.js';
import type { PasskeyProof } from './passkey-proof.js';
import type { PasskeyRepository } from './passkey-repository.js';

/** The caller of a sensitive passkey action, as the bearer (or cookie) middleware found them. */
export interface PasskeyActor {
  readonly user: User;
  readonly session: Session;
}

/**
 * The one call site through which every sensitive passkey action (asking for registration options, adding and
 * removing a passkey) demands a fresh authentication (RFC 9470). `Reauthentication` is it (bound in bootstrap).
 */
export interface FreshAuthenticationCheck {
  /**
   * Throws `FreshAuthenticationRequired` unless the actor proved their credentials recently enough, or what a
   * wrong `proof` (credentials sent with the request) throws.
   */
  require(actor: PasskeyActor, proof?: ReauthenticationProof, origin?: SessionOrigin): Promise<void>;
}

/** A passkey assertion as "it is you" for `Reauthentication`: only the user's own passkeys count. */
export function passkeyAssertionVerifier(proof: PasskeyProof): PasskeyAssertionVerifier {
  return {
    verify: async (user, challengeId, response, origin) => (await proof.verify(challengeId, response, origin, user.id)).amr,
  };
}

/** Passkeys as a second factor `CredentialsChanged` removes (a revert, an administrator's reset). */
export function passkeyRemover(passkeys: PasskeyRepository): SecondFactorRemover {
  return { kind: 'passkey', removeAll: async (userId) => (await passkeys.removeAllOf(userId)) > 0 };
}
