import { InvalidPasskey, Passkey, WebAuthnChallenge, type SessionOrigin } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { FreshAuthenticationCheck, PasskeyActor } from './fresh-authentication.js';
import type { PasskeyNotices } from './passkey-notices.js';
import type { PasskeyRepository } from './passkey-repository.js';
import type { WebAuthnChallengeStore } from './web-authn-challenge-store.js';
import { challengeOf, type CredentialResponse, type WebAuthn, type WebAuthnJson } from './web-authn.js';

/**
 * The first step of adding a passkey: creation options for the browser, with a fresh challenge bound to this user.
 * A sensitive action: a stolen access token alone must not plant an attacker's key in the account.
 */
export class PasskeyRegistrationOptions {
  constructor(
    private readonly passkeys: PasskeyRepository,
    private readonly challenges: WebAuthnChallengeStore,
    private readonly webAuthn: WebAuthn,
    private readonly fresh: FreshAuthenticationCheck,
    private readonly clock: Clock,
  ) {}

  /** Throws `FreshAuthenticationRequired` or `PasskeysUnavailable`. */
  async execute(actor: PasskeyActor): Promise<WebAuthnJson> {
    await this.fresh.require(actor);
    const { user } = actor;
    const existing = await this.passkeys.listByUser(user.id);
    const challenge = WebAuthnChallenge.issue({ ceremony: 'registration', userId: user.id, now: this.clock.now() });
    const options = await this.webAuthn.registrationOptions({
      challenge: challenge.challenge,
      user: { id: user.id, name: user.username.value, displayName: user.username.value },
      exclude: existing.map((p) => ({ credentialId: p.credentialId, transports: p.transports })),
    });
    await this.challenges.issue(challenge);
    return options;
  }
}

export interface AddPasskeyInput {
  readonly response: CredentialResponse;
  readonly name?: string | undefined;
  readonly origin: SessionOrigin;
}

/** The second step: the browser's attestation, verified against the challenge this user was given, becomes a passkey. */
export class AddPasskey {
  constructor(
    private readonly passkeys: PasskeyRepository,
    private readonly challenges: WebAuthnChallengeStore,
    private readonly webAuthn: WebAuthn,
    private readonly fresh: FreshAuthenticationCheck,
    private readonly notices: PasskeyNotices,
    private readonly clock: Clock,
  ) {}

  /** Throws `InvalidPasskey`, `FreshAuthenticationRequired` or `PasskeysUnavailable`. */
  async execute(actor: PasskeyActor, input: AddPasskeyInput): Promise<Passkey> {
    await this.fresh.require(actor);
    const { user } = actor;
    const challenge = challengeOf(input.response);
    // Consumed before verifying, so an attestation cannot be tried twice against one challenge.
    const issued = challenge === undefined ? undefined : await this.challenges.consume(challenge);
    const now = this.clock.now();
    if (!issued?.admits('registration', user.id, now)) throw new InvalidPasskey('The passkey answers no current challenge of yours; ask for new options');
    const verified = await this.webAuthn.verifyRegistration(input.response, issued.challenge);
    if (!verified) throw new InvalidPasskey();
    const passkey = Passkey.register({ ...verified, userId: user.id, name: input.name, createdAt: now });
    if (!(await this.passkeys.add(passkey))) throw new InvalidPasskey('This passkey is registered already');
    await this.notices.added(user, passkey, input.origin);
    return passkey;
  }
}
