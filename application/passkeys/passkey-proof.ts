import {
  HARDWARE_PASSKEY,
  InvalidPasskeyLogIn,
  SYNCED_PASSKEY,
  WebAuthnChallenge,
  type AuthenticationMethod,
  type Passkey,
  type SessionOrigin,
  type UserId,
} from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { AuditTrail } from '../core/audit-trail.js';
import type { PasskeyRepository } from './passkey-repository.js';
import type { WebAuthnChallengeStore } from './web-authn-challenge-store.js';
import type { CredentialResponse, WebAuthn, WebAuthnJson } from './web-authn.js';

export interface PasskeyRequestOptions {
  /** `PublicKeyCredentialRequestOptionsJSON`, with no `allowCredentials`: the authenticator offers its own. */
  readonly options: WebAuthnJson;
  /** What the client sends back with the assertion: the options' challenge. */
  readonly challengeId: string;
}

/**
 * Options for a passkey assertion (log-in or reauthentication). Names no account: with discoverable credentials the
 * authenticator picks the key, so the answer is the same for everyone and tells nothing about which accounts exist.
 */
export class PasskeyLogInOptions {
  constructor(
    private readonly challenges: WebAuthnChallengeStore,
    private readonly webAuthn: WebAuthn,
    private readonly clock: Clock,
  ) {}

  /** Throws `PasskeysUnavailable`. */
  async execute(): Promise<PasskeyRequestOptions> {
    const challenge = WebAuthnChallenge.issue({ ceremony: 'authentication', now: this.clock.now() });
    const options = await this.webAuthn.authenticationOptions(challenge.challenge);
    await this.challenges.issue(challenge);
    return { options, challengeId: challenge.challenge };
  }
}

export interface ProvenPasskey {
  readonly passkey: Passkey;
  /** RFC 8176: `hwk` or `swk` (backed up), `user`, `mfa`. */
  readonly amr: readonly AuthenticationMethod[];
}

/**
 * "It is you": a passkey assertion for a challenge from `PasskeyLogInOptions`, verified and counted. Serves the
 * passkey log-in and `/auth/reauthenticate` (with `userId`, so only the session's own passkeys prove anything).
 * The challenge is consumed first, so an assertion replayed, or a second one for the same challenge, finds nothing.
 */
export class PasskeyProof {
  constructor(
    private readonly passkeys: PasskeyRepository,
    private readonly challenges: WebAuthnChallengeStore,
    private readonly webAuthn: WebAuthn,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  /** Throws `InvalidPasskeyLogIn` whatever failed, or `PasskeysUnavailable`. */
  async verify(challengeId: string, response: CredentialResponse, origin: SessionOrigin, userId?: UserId): Promise<ProvenPasskey> {
    const issued = await this.challenges.consume(challengeId);
    if (!issued?.admits('authentication', undefined, this.clock.now())) throw new InvalidPasskeyLogIn();
    const passkey = await this.passkeys.findByCredentialId(response.id);
    if (!passkey || (userId !== undefined && passkey.userId !== userId)) throw new InvalidPasskeyLogIn();
    const verified = await this.webAuthn.verifyAuthentication({ response, challenge: issued.challenge, credential: passkey });
    // WebAuthn §7.2 step 6: a returned user handle must name the credential's owner.
    if (!verified || (verified.userHandle !== undefined && verified.userHandle !== passkey.userId)) throw new InvalidPasskeyLogIn();
    const decision = await this.passkeys.recordUse(passkey.credentialId, (current) =>
      current.use({ newCounter: verified.newCounter, backedUp: verified.backedUp, now: this.clock.now() }),
    );
    if (!decision) throw new InvalidPasskeyLogIn();
    if (decision.outcome === 'counter_regressed') {
      // A cloned authenticator is the likely cause: the owner and the operators should see it in the history.
      await this.audit.record('passkey.counter_regressed', {
        userId: passkey.userId,
        actorId: null,
        origin,
        details: { passkey_id: passkey.credentialId, stored_counter: decision.passkey.counter, presented_counter: verified.newCounter },
      });
      throw new InvalidPasskeyLogIn();
    }
    return { passkey: decision.passkey, amr: decision.passkey.backedUp ? SYNCED_PASSKEY : HARDWARE_PASSKEY };
  }
}
