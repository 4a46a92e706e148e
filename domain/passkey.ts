import { randomBytes } from 'node:crypto';
import type { UserId } from './user-id.js';

/** How long a registration or log-in ceremony may take (WebAuthn §13.4.3 recommends a short, single-use challenge). */
export const WEBAUTHN_CHALLENGE_TTL_MS = 5 * 60_000;
const CHALLENGE_BYTES = 32;
/** A name the user gives a passkey, shown in their list; bounded so a client cannot make us store much. */
export const PASSKEY_NAME_MAX_LENGTH = 100;

/** WebAuthn §6.1.3: a credential bound to one device, or one that a sync fabric may copy to others. */
export type PasskeyDeviceType = 'singleDevice' | 'multiDevice';

export interface PasskeyProps {
  /** The credential id, base64url: what the authenticator names the credential by, and our id for it too. */
  readonly credentialId: string;
  readonly userId: UserId;
  /** COSE_Key bytes as registration gave them. */
  readonly publicKey: Uint8Array;
  /** The signature counter last seen (WebAuthn §6.1.1); 0 for authenticators that keep none. */
  readonly counter: number;
  /** AuthenticatorTransport hints from registration, given back to the browser to find the credential. */
  readonly transports: readonly string[];
  readonly deviceType: PasskeyDeviceType;
  /** The BS flag as last reported: a backed-up credential is a synced one, `swk` rather than `hwk` (RFC 8176). */
  readonly backedUp: boolean;
  readonly name: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | undefined;
}

/** What one verified assertion tells about the credential. */
export interface PasskeyAssertion {
  readonly newCounter: number;
  readonly backedUp: boolean;
  readonly now: Date;
}

export type PasskeyUseDecision =
  /** Save `passkey` (its counter, backup state and last use). */
  | { readonly outcome: 'accept'; readonly passkey: Passkey }
  /** Change nothing and refuse the log-in: two copies of the key may exist. */
  | { readonly outcome: 'counter_regressed'; readonly passkey: Passkey };

/** A user's WebAuthn credential: a discoverable, user-verifying public key credential. */
export class Passkey implements PasskeyProps {
  readonly credentialId: string;
  readonly userId: UserId;
  readonly publicKey: Uint8Array;
  readonly counter: number;
  readonly transports: readonly string[];
  readonly deviceType: PasskeyDeviceType;
  readonly backedUp: boolean;
  readonly name: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | undefined;

  constructor(props: PasskeyProps) {
    this.credentialId = props.credentialId;
    this.userId = props.userId;
    this.publicKey = props.publicKey;
    this.counter = props.counter;
    this.transports = Object.freeze([...props.transports]);
    this.deviceType = props.deviceType;
    this.backedUp = props.backedUp;
    this.name = props.name;
    this.createdAt = props.createdAt;
    this.lastUsedAt = props.lastUsedAt;
  }

  static register(props: Omit<PasskeyProps, 'name' | 'lastUsedAt'> & { readonly name?: string | undefined }): Passkey {
    return new Passkey({ ...props, name: passkeyName(props.name, props.createdAt), lastUsedAt: undefined });
  }

  renamed(name: string): Passkey {
    return new Passkey({ ...this, name: passkeyName(name, this.createdAt) });
  }

  /**
   * The signature-counter rule (WebAuthn §6.1.1 step 17), decided here so no store can get it wrong. A counter that
   * did not move forward, when both the stored and the presented one are non-zero, means the private key may have
   * been copied: the log-in is refused and nothing is saved. Authenticators that keep no counter (synced passkeys
   * report 0) are judged by signature and user verification alone; a 0 after a non-zero counter keeps the stored one.
   */
  use(assertion: PasskeyAssertion): PasskeyUseDecision {
    if (this.counter > 0 && assertion.newCounter > 0 && assertion.newCounter <= this.counter) {
      return { outcome: 'counter_regressed', passkey: this };
    }
    return {
      outcome: 'accept',
      passkey: new Passkey({ ...this, counter: Math.max(this.counter, assertion.newCounter), backedUp: assertion.backedUp, lastUsedAt: assertion.now }),
    };
  }
}

function passkeyName(name: string | undefined, createdAt: Date): string {
  const trimmed = name?.trim().slice(0, PASSKEY_NAME_MAX_LENGTH);
  return trimmed || `Passkey added ${createdAt.toISOString().slice(0, 10)}`;
}

export type WebAuthnCeremony = 'registration' | 'authentication';

export interface WebAuthnChallengeProps {
  /** base64url random bytes: the challenge the authenticator signs over, and the key it is stored under. */
  readonly challenge: string;
  readonly ceremony: WebAuthnCeremony;
  /** The user adding a passkey; undefined for a log-in, which names no account (discoverable credentials). */
  readonly userId: UserId | undefined;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** A challenge waiting for its ceremony: single use, 5 minutes, kept server-side so a replay finds nothing. */
export class WebAuthnChallenge implements WebAuthnChallengeProps {
  readonly challenge: string;
  readonly ceremony: WebAuthnCeremony;
  readonly userId: UserId | undefined;
  readonly createdAt: Date;
  readonly expiresAt: Date;

  constructor(props: WebAuthnChallengeProps) {
    this.challenge = props.challenge;
    this.ceremony = props.ceremony;
    this.userId = props.userId;
    this.createdAt = props.createdAt;
    this.expiresAt = props.expiresAt;
  }

  static issue(props: { ceremony: WebAuthnCeremony; userId?: UserId | undefined; now: Date }): WebAuthnChallenge {
    return new WebAuthnChallenge({
      challenge: randomBytes(CHALLENGE_BYTES).toString('base64url'),
      ceremony: props.ceremony,
      userId: props.userId,
      createdAt: props.now,
      expiresAt: new Date(props.now.getTime() + WEBAUTHN_CHALLENGE_TTL_MS),
    });
  }

  /** Whether this (already consumed) challenge may finish this ceremony for this user at `now`. */
  admits(ceremony: WebAuthnCeremony, userId: UserId | undefined, now: Date): boolean {
    return this.ceremony === ceremony && this.userId === userId && now < this.expiresAt;
  }
}
