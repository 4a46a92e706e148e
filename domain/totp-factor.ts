import type { UserId } from './user-id.js';

/** RFC 6238 §4 defaults, which every authenticator app assumes when the otpauth URI names nothing else. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** RFC 6238 §6 allows for clock drift; one step either side is the usual compromise (a 90-second window). */
export const TOTP_DRIFT_STEPS = 1;

export interface TotpFactorProps {
  readonly userId: UserId;
  /** The shared secret as a `SecretBox` sealed it: the factor never holds it in clear. */
  readonly sealedSecret: string;
  readonly createdAt: Date;
  /** Unset while pending: an enrolment counts only once a code from the secret has proved the app has it. */
  readonly confirmedAt: Date | undefined;
  /**
   * The time step of the last accepted code (RFC 6238 §5.2: a code must not be accepted twice). A code of this
   * step or an earlier one is refused, so a code seen over someone's shoulder is worthless once used.
   */
  readonly lastStep: number | undefined;
  /** Consecutive wrong codes across every window (NIST SP 800-63B §5.2.2); absent means none. */
  readonly failedAttempts?: number;
}

/** A user's TOTP second factor (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps). */
export class TotpFactor implements TotpFactorProps {
  readonly userId: UserId;
  readonly sealedSecret: string;
  readonly createdAt: Date;
  readonly confirmedAt: Date | undefined;
  readonly lastStep: number | undefined;
  readonly failedAttempts: number;

  constructor(props: TotpFactorProps) {
    this.userId = props.userId;
    this.sealedSecret = props.sealedSecret;
    this.createdAt = props.createdAt;
    this.confirmedAt = props.confirmedAt;
    this.lastStep = props.lastStep;
    this.failedAttempts = props.failedAttempts ?? 0;
  }

  static enrol(props: { userId: UserId; sealedSecret: string; now: Date }): TotpFactor {
    return new TotpFactor({ userId: props.userId, sealedSecret: props.sealedSecret, createdAt: props.now, confirmedAt: undefined, lastStep: undefined });
  }

  /** Past the cap of consecutive wrong codes: every code is refused until a password reset unlocks it. */
  isLocked(maxConsecutiveFailures: number): boolean {
    return this.failedAttempts >= maxConsecutiveFailures;
  }

  get isConfirmed(): boolean {
    return this.confirmedAt !== undefined;
  }

  /**
   * Whether a code of this step may still be accepted. Stores apply the same rule in their compare-and-set, so
   * two instances that check at once cannot both accept one code; this is for callers that ask first.
   */
  acceptsStep(step: number): boolean {
    return this.lastStep === undefined || step > this.lastStep;
  }
}

/** A TOTP code as typed: digits only, spaces forgiven (apps show "123 456"). */
export function looksLikeTotpCode(code: string): boolean {
  return new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(code.replace(/\s+/g, ''));
}

export function normalizeTotpCode(code: string): string {
  return code.replace(/\s+/g, '');
}
