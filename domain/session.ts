import type { UserId } from './user-id.js';

export type SessionId = string;

/** RFC 8176 §2 authentication method reference values this service issues: a password, then a one-time code. */
export type AuthenticationMethod = 'pwd' | 'otp';
export const PASSWORD_ONLY: readonly AuthenticationMethod[] = Object.freeze(['pwd']);
export const PASSWORD_AND_OTP: readonly AuthenticationMethod[] = Object.freeze(['pwd', 'otp']);

export function isAuthenticationMethod(value: unknown): value is AuthenticationMethod {
  return value === 'pwd' || value === 'otp';
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
}

/** Where a log-in came from, as the client told us: shown to the user in their session list, never trusted. */
export interface SessionOrigin {
  readonly userAgent?: string | undefined;
  readonly ip?: string | undefined;
}

// Enough for any real user agent; bounds what a client can make us store.
const USER_AGENT_MAX_LENGTH = 512;

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
      ip: props.origin.ip || undefined,
      amr: props.amr ?? PASSWORD_ONLY,
    });
  }

  /** Open: not ended, not expired, and opened under the user's current token version. */
  isOpenFor(user: { id: UserId; tokenVersion: number }, now: Date): boolean {
    return this.userId === user.id && this.tokenVersion === user.tokenVersion && this.revokedAt === undefined && now < this.expiresAt;
  }
}
