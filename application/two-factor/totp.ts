/**
 * The RFC 6238 arithmetic (SHA-1, 6 digits, 30-second steps), behind a port so the core does not carry an OTP
 * library. Secrets are base32 (RFC 4648), as authenticator apps read them.
 */
export interface Totp {
  /** A new random shared secret of 160 bits (RFC 4226 §4 recommends that length). */
  newSecret(): string;
  /** The time step whose code `code` is, within the allowed drift of `now`; undefined when it matches none. */
  matchStep(secret: string, code: string, now: Date): number | undefined;
  /** The code of the step `at` falls in: what an authenticator app shows. */
  generate(secret: string, at: Date): string;
  /** The `otpauth://totp/...` URI an app reads from a QR code. */
  keyUri(secret: string, account: string): string;
}
