import type { Session, SessionOrigin, User } from '../../domain/index.js';

/** Who asks a sensitive action, as the edge authenticated them (the bearer's user and session). */
export interface SensitiveRequester {
  readonly user: User;
  readonly session: Session;
}

/**
 * The fresh-authentication rule (RFC 9470) of sensitive actions, as webhook management and the data export call it.
 * Bound in bootstrap to the one rule the service has, step-up's `Reauthentication` (application/core); throws
 * `FreshAuthenticationRequired`.
 */
export interface FreshAuthenticationGate {
  require(requester: SensitiveRequester, proof: undefined, origin: SessionOrigin): Promise<void>;
}
