import type { Email } from './email.js';
import type { UserId } from './user-id.js';
import type { Username } from './username.js';

export interface UserProps {
  readonly id: UserId;
  readonly email: Email;
  readonly username: Username;
  readonly passwordHash: string;
  readonly isActive: boolean;
  /** May use the administration routes; see `superusers.ts` for the rule that one must always remain. */
  readonly isSuperuser: boolean;
  /** Whether the owner of `email` has shown they receive mail there; a new address starts unverified. */
  readonly isVerified: boolean;
  /**
   * Bumped whenever every token issued so far must stop working (a password change). Tokens carry the
   * version they were issued under; a token whose version differs is refused.
   */
  readonly tokenVersion: number;
  /**
   * Whether a confirmed TOTP factor guards the log-in. Written only by the factor's store, in the same
   * transaction that confirms or removes the factor; a user update never changes it.
   */
  readonly mfaEnabled: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A user account. Immutable: each change returns a new value, so a failed save leaves nothing half-changed. */
export class User implements UserProps {
  readonly id: UserId;
  readonly email: Email;
  readonly username: Username;
  readonly passwordHash: string;
  readonly isActive: boolean;
  readonly isSuperuser: boolean;
  readonly isVerified: boolean;
  readonly tokenVersion: number;
  readonly mfaEnabled: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;

  constructor(props: UserProps) {
    this.id = props.id;
    this.email = props.email;
    this.username = props.username;
    this.passwordHash = props.passwordHash;
    this.isActive = props.isActive;
    this.isSuperuser = props.isSuperuser;
    this.isVerified = props.isVerified;
    this.tokenVersion = props.tokenVersion;
    this.mfaEnabled = props.mfaEnabled;
    this.createdAt = props.createdAt;
    this.updatedAt = props.updatedAt;
  }

  static register(props: { id: UserId; email: Email; username: Username; passwordHash: string; now: Date; isSuperuser?: boolean }): User {
    return new User({
      id: props.id,
      email: props.email,
      username: props.username,
      passwordHash: props.passwordHash,
      isActive: true,
      isSuperuser: props.isSuperuser ?? false,
      isVerified: false,
      tokenVersion: 0,
      mfaEnabled: false,
      createdAt: props.now,
      updatedAt: props.now,
    });
  }

  /** A new address is unverified until its owner follows the link mailed there. */
  withEmail(email: Email, now: Date): User {
    if (email.value === this.email.value) return this;
    return new User({ ...this, email, isVerified: false, updatedAt: now });
  }

  /** The owner followed a link mailed to `email`: only the address the link was sent to is verified by it. */
  withVerifiedEmail(email: Email, now: Date): User {
    if (this.isVerified && email.value === this.email.value) return this;
    return new User({ ...this, email, isVerified: true, updatedAt: now });
  }

  /**
   * The owner of an earlier address undoes a change of email: that address comes back (verified, since its
   * owner just followed a link mailed there) and every session ends, since whoever made the change may hold one.
   */
  withRevertedEmail(email: Email, now: Date): User {
    return new User({ ...this, email, isVerified: true, tokenVersion: this.tokenVersion + 1, updatedAt: now });
  }

  withUsername(username: Username, now: Date): User {
    return new User({ ...this, username, updatedAt: now });
  }

  /** An administrator's say-so, for an address verified another way (or a verification to take back). */
  withVerified(isVerified: boolean, now: Date): User {
    return isVerified === this.isVerified ? this : new User({ ...this, isVerified, updatedAt: now });
  }

  withActive(isActive: boolean, now: Date): User {
    return isActive === this.isActive ? this : new User({ ...this, isActive, updatedAt: now });
  }

  withSuperuser(isSuperuser: boolean, now: Date): User {
    return isSuperuser === this.isSuperuser ? this : new User({ ...this, isSuperuser, updatedAt: now });
  }

  /** Counts toward "at least one superuser remains": an inactive superuser cannot log in to administer. */
  get administers(): boolean {
    return this.isSuperuser && this.isActive;
  }

  /** A new password ends every session: tokens issued before it carry the old version. */
  withPassword(passwordHash: string, now: Date): User {
    return new User({ ...this, passwordHash, tokenVersion: this.tokenVersion + 1, updatedAt: now });
  }
}
