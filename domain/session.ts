import type { User } from './user.js';
import type { UserId } from './user-id.js';

export type SessionId = string;

/**
 * RFC 8176 §2 authentication method reference values this service issues: a password, a one-time code, and for a
 * passkey the key's kind (`hwk` bound to a device, `swk` a synced copy), the user verification (`user`) and, as the
 * two make a multi-factor proof, `mfa`.
 */
const AUTHENTICATION_METHODS = ['pwd', 'otp', 'hwk', 'swk', 'user', 'mfa'] as const;
export type AuthenticationMethod = (typeof AUTHENTICATION_METHODS)[number];
export const PASSWORD_ONLY: readonly AuthenticationMethod[] = Object.freeze(['pwd']);
export const PASSWORD_AND_OTP: readonly AuthenticationMethod[] = Object.freeze(['pwd', 'otp']);
/** A passkey bound to its device: possession of a hardware-protected key plus user verification. */
export const HARDWARE_PASSKEY: readonly AuthenticationMethod[] = Object.freeze(['hwk', 'user', 'mfa']);
/** A passkey the authenticator says is backed up (synced): a software-protected key, as RFC 8176 counts it. */
export const SYNCED_PASSKEY: readonly AuthenticationMethod[] = Object.freeze(['swk', 'user', 'mfa']);

/** Whether a proof included more than a password: a one-time code, or a passkey's possession plus verification. */
export function provesSecondFactor(amr: readonly string[]): boolean {
  return amr.includes('otp') || amr.includes('mfa');
}

export function isAuthenticationMethod(value: unknown): value is AuthenticationMethod {
  return (AUTHENTICATION_METHODS as readonly unknown[]).includes(value);
}

export interface SessionProps {
  readonly id: SessionId;
  readonly userId: UserId;
  /**
   * The user's token version when the session opened. A password change bumps the user's, which ends the session
   * in the same write that changes the password: no second write has to succeed for it.
   */
  readonly tokenVersion: number;
  readonly createdAt: Date;
  /** The last log-in or refresh: access tokens are verified without touching the session row. */
  readonly lastUsedAt: Date;
  /** When the refresh token, and so the session, stops working unless refreshed before. */
  readonly expiresAt: Date;
  readonly revokedAt: Date | undefined;
  readonly userAgent: string | undefined;
  readonly ip: string | undefined;
  /** How the user proved who they were when the session opened; every token the session issues says so. */
  readonly amr: readonly AuthenticationMethod[];
  /**
   * When the user last proved a credential in this session (the log-in, or a reauthentication): what
   * `auth_time` says (OpenID Connect Core §2). A refresh keeps it: a refresh token is no new proof.
   */
  readonly authTime: Date;
}

/** Where a log-in came from, as the client told us: shown to the user in their session list, never trusted. */
export interface SessionOrigin {
  readonly userAgent?: string | undefined;
  readonly ip?: string | undefined;
}

/** What the store knows of one refresh token. */
export interface RefreshTokenState {
  /** When it was rotated; undefined while it is the session's current token. */
  readonly usedAt: Date | undefined;
}

/** Everything a refresh decision rests on, read by the store in the same atomic step that saves the decision. */
export interface RefreshAttempt {
  readonly user: Pick<User, 'id' | 'tokenVersion' | 'isActive'>;
  readonly presented: RefreshTokenState;
  /**
   * The token derived from the presented one (`successorRefreshToken`), as the store holds it: undefined until the
   * presented token is rotated, or when it was rotated under another key.
   */
  readonly successor: RefreshTokenState | undefined;
}

export interface RefreshRules {
  /** How long the session lives after this refresh. */
  readonly lifetimeMs: number;
  /** How long after its rotation a token still yields its successor instead of counting as a replay. */
  readonly reuseGraceMs: number;
}

export type RefreshDecision =
  /** Spend the presented token at `session.lastUsedAt`, store its successor, save the renewed session. */
  | { readonly outcome: 'rotate'; readonly session: Session }
  /** A race or a retry within the grace: hand out the successor again; nothing changes. */
  | { readonly outcome: 'grace'; readonly session: Session }
  /** A replay: save the session as revoked. */
  | { readonly outcome: 'reuse'; readonly session: Session }
  /** Nothing to renew (ended, expired, user inactive or changed): nothing changes. */
  | { readonly outcome: 'refuse' };

const REFUSE: RefreshDecision = Object.freeze({ outcome: 'refuse' });

// Enough for any real user agent; bounds what a client can make us store.
export const USER_AGENT_MAX_LENGTH = 512;
// An IPv6 address with a zone is under 64 characters; behind TRUST_PROXY a client writes X-Forwarded-For itself.
export const IP_MAX_LENGTH = 64;

/** One log-in of one user: the thing a refresh token renews and a log-out ends. */
export class Session implements SessionProps {
  readonly id: SessionId;
  readonly userId: UserId;
  readonly tokenVersion: number;
  readonly createdAt: Date;
  readonly lastUsedAt: Date;
  readonly expiresAt: Date;
  readonly revokedAt: Date | undefined;
  readonly userAgent: string | undefined;
  readonly ip: string | undefined;
  readonly amr: readonly AuthenticationMethod[];
  readonly authTime: Date;

  constructor(props: SessionProps) {
    this.id = props.id;
    this.userId = props.userId;
    this.tokenVersion = props.tokenVersion;
    this.createdAt = props.createdAt;
    this.lastUsedAt = props.lastUsedAt;
    this.expiresAt = props.expiresAt;
    this.revokedAt = props.revokedAt;
    this.userAgent = props.userAgent;
    this.ip = props.ip;
    this.amr = props.amr;
    this.authTime = props.authTime;
  }

  static open(props: {
    id: SessionId;
    user: { id: UserId; tokenVersion: number };
    now: Date;
    lifetimeMs: number;
    origin: SessionOrigin;
    amr?: readonly AuthenticationMethod[];
  }): Session {
    return new Session({
      id: props.id,
      userId: props.user.id,
      tokenVersion: props.user.tokenVersion,
      createdAt: props.now,
      lastUsedAt: props.now,
      expiresAt: new Date(props.now.getTime() + props.lifetimeMs),
      revokedAt: undefined,
      userAgent: props.origin.userAgent?.slice(0, USER_AGENT_MAX_LENGTH) || undefined,
      ip: props.origin.ip?.slice(0, IP_MAX_LENGTH) || undefined,
      amr: props.amr ?? PASSWORD_ONLY,
      authTime: props.now,
    });
  }

  /** The user proved their credentials again (`amr`) at `now`: the session is fresh from then on. */
  reauthenticated(now: Date, amr: readonly AuthenticationMethod[]): Session {
    return new Session({ ...this, authTime: now, amr });
  }

  /**
   * Fresh enough for a sensitive action (RFC 9470): the last proof is at most `maxAgeMs` old and, when the account
   * has two-factor log-in on, it included the second factor (`otp`) or a passkey (`mfa`): a password alone must not
   * stand in for a factor the account requires.
   */
  isFresh(now: Date, maxAgeMs: number, user: { mfaEnabled: boolean }): boolean {
    const age = now.getTime() - this.authTime.getTime();
    if (age > maxAgeMs) return false;
    return !user.mfaEnabled || provesSecondFactor(this.amr);
  }

  /** Open: not ended, not expired, and opened under the user's current token version. */
  isOpenFor(user: { id: UserId; tokenVersion: number }, now: Date): boolean {
    return this.userId === user.id && this.tokenVersion === user.tokenVersion && this.revokedAt === undefined && now < this.expiresAt;
  }

  /**
   * The rotation and reuse rules (OAuth 2.0 Security BCP §4.14.2), decided here so no store can get them wrong.
   * A current token rotates. A spent one means two parties may hold it, so the session ends, except within
   * `reuseGraceMs` of its rotation while its successor is still unused: two tabs or a retry after a lost response
   * present the same token at once, and ending the session would log out the legitimate client too. A spent token
   * whose successor was used is a copy even within the grace: the real client has moved on.
   */
  refresh(attempt: RefreshAttempt, now: Date, rules: RefreshRules): RefreshDecision {
    if (this.revokedAt !== undefined || now >= this.expiresAt) return REFUSE;
    const { user, presented, successor } = attempt;
    if (presented.usedAt !== undefined) {
      // Negative when the instance that rotated it has a clock running ahead: a skew smaller than the grace is
      // forgiven, a larger one is not, so a bad clock cannot stretch the grace.
      const withinGrace = Math.abs(now.getTime() - presented.usedAt.getTime()) < rules.reuseGraceMs;
      if (!withinGrace || successor?.usedAt !== undefined) return { outcome: 'reuse', session: new Session({ ...this, revokedAt: now }) };
    }
    if (!user.isActive || !this.isOpenFor(user, now)) return REFUSE;
    if (presented.usedAt === undefined) {
      return { outcome: 'rotate', session: new Session({ ...this, lastUsedAt: now, expiresAt: new Date(now.getTime() + rules.lifetimeMs) }) };
    }
    // A successor the store does not hold (derived under a key since rotated) would be worthless to the client.
    return successor ? { outcome: 'grace', session: this } : REFUSE;
  }
}
