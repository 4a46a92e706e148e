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
      tokenVersion: 0,
      mfaEnabled: false,
      createdAt: props.now,
      updatedAt: props.now,
    });
  }

  withEmail(email: Email, now: Date): User {
    return new User({ ...this, email, updatedAt: now });
  }

  withUsername(username: Username, now: Date): User {
    return new User({ ...this, username, updatedAt: now });
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
